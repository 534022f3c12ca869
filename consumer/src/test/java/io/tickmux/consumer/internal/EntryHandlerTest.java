package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One Redis Streams entry's steps, without a server: the handler as the delivery loop calls it. */
class EntryHandlerTest {

    private static final String AAPL = "tickmux:ticker:AAPL";

    private final List<String> got = new ArrayList<>();
    private boolean throwing;
    private final Delivery delivery =
            new Delivery(
                    e -> {
                        if (throwing) {
                            throw new IllegalStateException("listener bug");
                        }
                        got.add(e.symbol() + " " + e.timestampMillis());
                    },
                    s -> {},
                    List.of());
    private final EntryHandler handler = new EntryHandler("g", delivery);

    private static Map<String, String> entry(long millis) {
        MarketEvent e = MockEvents.trade("AAPL", millis, millis);
        return Map.of(
                "data",
                new String(new WireWriter().market(e, "connection_1", 1), StandardCharsets.UTF_8));
    }

    @Test
    void entriesAreDeliveredAndOneAtOrBeforeTheLastHandledOfItsStreamIsSkipped() {
        handler.handle(AAPL, "5-0", entry(1));
        handler.handle(AAPL, "5-0", entry(1));
        handler.handle(AAPL, "4-9", entry(2));
        handler.handle(AAPL, "5-1", entry(3));
        handler.handle("tickmux:ticker:NVDA", "1-0", entry(4));

        assertThat(got).containsExactly("AAPL 1", "AAPL 3", "AAPL 4");
        assertThat(delivery.skipped()).isEqualTo(2);
    }

    @Test
    void anEntryWithoutDataIsSkippedAndCountsAsHandled() {
        handler.handle(AAPL, "5-0", null);
        handler.handle(AAPL, "6-0", Map.of("other", "x"));
        handler.handle(AAPL, "6-0", entry(1));

        assertThat(got).isEmpty();
        assertThat(delivery.skipped()).isEqualTo(3);
        assertThat(delivery.errors()).isZero();
    }

    @Test
    void anUnreadableEntryOrAThrowingListenerIsAnErrorAndTheEntryCountsAsHandled() {
        handler.handle(AAPL, "5-0", Map.of("data", "not json"));
        throwing = true;
        handler.handle(AAPL, "6-0", entry(1));
        throwing = false;
        handler.handle(AAPL, "6-0", entry(1));
        handler.handle(AAPL, "7-0", entry(2));

        assertThat(got).containsExactly("AAPL 2");
        assertThat(delivery.errors()).isEqualTo(2);
        assertThat(delivery.skipped()).isEqualTo(1);
    }
}
