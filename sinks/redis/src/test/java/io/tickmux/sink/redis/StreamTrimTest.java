package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The arguments every XADD trims its stream with (followed by its id, {@code *}: Redis picks it).
 */
class StreamTrimTest {

    private static final Instant NOW = Instant.parse("2026-01-02T15:00:00Z");

    /** Settings from the reference defaults, without a server. */
    private static RedisSinkSettings settings(String hocon) {
        return RedisSinkSettings.from(
                ConfigFactory.parseString(hocon)
                        .withFallback(
                                ConfigFactory.defaultReference()
                                        .getConfig(RedisSinkSettings.PATH)));
    }

    private static String args(String hocon) {
        StreamTrim trim = new StreamTrim(settings(hocon), Clock.fixed(NOW, ZoneOffset.UTC));
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        trim.args().build(a);
        return a.toCommandString();
    }

    @Test
    void byLengthKeepsMaxLengthEntriesApproximatelyOrExactly() {
        assertThat(args("streams.trim = length, streams.max-length = 500"))
                .isEqualTo("MAXLEN ~ 500 *");
        assertThat(
                        args(
                                "streams.trim = length, streams.max-length = 500, streams.approximate = false"))
                .isEqualTo("MAXLEN 500 *");
    }

    @Test
    void byAgeKeepsEntriesWhoseIdIsNoOlderThanNowMinusMaxAge() {
        long twoHoursAgo = NOW.toEpochMilli() - 2 * 3_600_000L;
        assertThat(args("streams.trim = age, streams.max-age = 2h"))
                .isEqualTo("MINID ~ " + twoHoursAgo + "-0 *");
    }

    @Test
    void noneAddsNoTrimming() {
        assertThat(args("streams.trim = none")).as("only the id: *").isEqualTo("*");
    }
}
