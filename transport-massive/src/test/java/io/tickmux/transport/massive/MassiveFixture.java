package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.tck.RecordingStatusListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A manager on the Massive transport against a fake server, counting events per ticker. */
final class MassiveFixture implements AutoCloseable {

    /** Generous: it costs nothing when a test passes and spares a loaded machine a false alarm. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final FakeMassiveServer server;
    final RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
    final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    final java.util.Queue<io.tickmux.spi.event.MarketEvent> receivedEvents =
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
        this(server, transportHocon, coreHocon, keys, router, Map.of());
    }

    /**
     * @param connectionHocon connection id to more transport settings for that connection only
     *     (e.g. a short read deadline on the connection a test mutes)
     */
    MassiveFixture(
            FakeMassiveServer server,
            String transportHocon,
            String coreHocon,
            Map<String, String> keys,
            io.tickmux.routing.RoutingStrategy router,
            Map<String, String> connectionHocon) {
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
                        .transport(new MassiveTransportFactory())
                        .config(root)
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
                                                        "api-key = \""
                                                                + key
                                                                + "\"\n"
                                                                + connectionHocon.getOrDefault(
                                                                        id, "")))));
        manager = b.build();
    }

    long received(String ticker) {
        LongAdder a = received.get(ticker);
        return a == null ? 0 : a.sum();
    }

    /**
     * Waits until every event the servers sent on a session that is still open has reached the tick
     * listener. Nothing sent on an open session is lost, and frames on a socket arrive in order, so
     * after this nothing already sent can still arrive: the deterministic way to say "the feed is
     * quiet", where two equal counts some milliseconds apart are only a guess.
     *
     * @param servers the servers the manager talked to
     */
    void awaitDelivered(FakeMassiveServer... servers) {
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Set<Object> got = new HashSet<>();
                            for (MarketEvent e : receivedEvents) {
                                got.add(key(e));
                            }
                            List<Object> missing = new ArrayList<>();
                            long sent = 0;
                            for (FakeMassiveServer srv : servers) {
                                for (FakeSession s : srv.liveSessions()) {
                                    for (MarketEvent e : s.sent()) {
                                        sent++;
                                        if (!got.contains(key(e))) {
                                            missing.add(key(e));
                                        }
                                    }
                                }
                            }
                            assertThat(missing.subList(0, Math.min(10, missing.size())))
                                    .as(
                                            "%d of the %d events sent on open sessions not yet"
                                                    + " received; the first ones",
                                            missing.size(), sent)
                                    .isEmpty();
                        });
    }

    /**
     * An event's identity across the wire: a trade by its id and time (ids restart with a new
     * server), anything else by value.
     */
    static Object key(MarketEvent e) {
        return e instanceof Trade t ? "T" + t.tradeId() + "@" + t.timestamp() : e;
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
