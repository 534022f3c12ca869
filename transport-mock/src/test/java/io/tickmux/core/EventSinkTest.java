package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Sinks see what the listener sees, chunk by chunk; a throwing sink costs the listener nothing. */
class EventSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSinkGetsEveryAcceptedEventWithItsConnectionAndAThrowingSinkIsCounted() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<MarketEvent> listened = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MockTransport mock = new MockTransport();
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(mock)
                        .meterRegistry(registry)
                        .tickListener(listened::add)
                        .sink(
                                (conn, events) -> {
                                    for (MarketEvent e : events) {
                                        seen.add(conn + ":" + ((Trade) e).sequence());
                                    }
                                })
                        .sink(
                                (conn, events) -> {
                                    throw new IllegalStateException("broken sink");
                                })
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            m.connectAll(Map.of("c1", List.of("AAPL")), WAIT);
            MockConnection c1 = mock.connection("c1");
            long t = 1_700_000_000_000L;
            c1.emit(
                    MockEvents.trade("AAPL", 1, t),
                    MockEvents.trade("AAPL", 1, t), // an exact repeat: dropped before the sinks
                    MockEvents.trade("AAPL", 2, t));
            await().atMost(WAIT).untilAsserted(() -> assertThat(listened).hasSize(2));
            assertThat(seen).containsExactly("c1:1", "c1:2");
            assertThat(
                            registry.get("tickmux.listener.errors")
                                    .tag("listener", "sink")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(1.0);
        }
    }
}
