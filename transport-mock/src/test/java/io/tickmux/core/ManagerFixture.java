package io.tickmux.core;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.spi.event.TickListener;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A manager on the mock transport with recorded events and status, for the manager tests. */
final class ManagerFixture implements AutoCloseable {

    /** Generous: it costs nothing when a test passes and spares a loaded machine a false alarm. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final MockTransport mock = new MockTransport();
    final RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
    final List<io.tickmux.spi.event.MarketEvent> events = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MultiConnectionManager manager;

    ManagerFixture(String settings, TickListener listener, RoutingStrategy router, String... ids) {
        MultiConnectionManager.Builder b =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.reconnect { initial-delay = 5ms, max-delay ="
                                                + " 20ms }\n"
                                                + settings))
                        .transport(mock)
                        .statusListener(status)
                        .meterRegistry(registry)
                        .random(() -> 0.5)
                        .tickListener(
                                listener != null
                                        ? listener
                                        : e -> {
                                            events.add(e);
                                        });
        if (router != null) {
            b.routing(router);
        }
        for (String id : ids) {
            b.connection(ConnectionDefinition.of(id));
        }
        manager = b.build();
    }

    static ManagerFixture of(String... ids) {
        return new ManagerFixture("", null, null, ids);
    }

    ConnectionHealth health(String id) {
        return manager.healthStatus().connections().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
