package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.consumer.RedisStreamSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupStreamsTest {

    private final RedisStreamSource source = RedisStreamSource.of("redis://127.0.0.1:6379", "g");

    @Test
    void eachWantedTickerIsItsStreamUnderThePrefixWithTheWireFormatsToken() {
        assertThat(GroupStreams.tickerStreams(source.at("tmx").tickers(List.of("AAPL", "BRK.A"))))
                .containsExactly("tmx:ticker:AAPL", "tmx:ticker:BRK_A");
    }

    @Test
    void withTickersWantedNoRescanIsEverDue() {
        GroupStreams streams =
                new GroupStreams(source.tickers(List.of("AAPL")).rescan(Duration.ZERO));

        assertThat(streams.rescanDue()).isFalse();
        assertThat(streams.list()).as("nothing found before the first look").isEmpty();
    }
}
