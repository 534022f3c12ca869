package io.tickmux.transport.massive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.mock.server.FakeMassiveServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A manager on the Massive transport against a fake server, counting events per ticker. */
final class MassiveFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final FakeMassiveServer server;
    final RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
    final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    final java.util.Queue<io.tickmux.core.event.MarketEvent> receivedEvents =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    final MultiConnectionManager manager;

    /**
     * @param server a started fake server
     * @param transportHocon overrides of tickmux.transport.massive
     * @param coreHocon overrides of tickmux.core
     * @param keys connection id to the API key it uses
     */
    MassiveFixture(
            FakeMassiveServer server,
            String transportHocon,
            String coreHocon,
            Map<String, String> keys) {
        this(server, transportHocon, coreHocon, keys, null);
    }

    MassiveFixture(
            FakeMassiveServer server,
            String transportHocon,
            String coreHocon,
            Map<String, String> keys,
            io.tickmux.routing.RoutingStrategy router) {
        this.server = server;
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \""
                                        + server.url()
                                        + "\", api-key = unused-default-key }\n"
                                        + "tickmux.transport.massive { "
                                        + transportHocon
                                        + " }\n"
                                        + "tickmux.core.reconnect { initial-delay = 20ms,"
                                        + " max-delay = 100ms }\n"
                                        + "tickmux.core { "
                                        + coreHocon
                                        + " }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        MultiConnectionManager.Builder b =
                MultiConnectionManager.builder()
                        .settings(CoreSettings.from(root))
                        .transport(new MassiveTransportFactory(root))
                        .statusListener(status)
                        .tickListener(
                                e -> {
                                    receivedEvents.add(e);
                                    received.computeIfAbsent(e.symbol(), k -> new LongAdder())
                                            .increment();
                                });
        if (router != null) {
            b.routing(router);
        }
        new java.util.TreeMap<>(keys)
                .forEach(
                        (id, key) ->
                                b.connection(
                                        new ConnectionDefinition(
                                                id,
                                                id,
                                                20_000,
                                                Set.of(),
                                                ConfigFactory.parseString(
                                                        "api-key = \"" + key + "\""))));
        manager = b.build();
    }

    long received(String ticker) {
        LongAdder a = received.get(ticker);
        return a == null ? 0 : a.sum();
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
        server.close();
    }
}
