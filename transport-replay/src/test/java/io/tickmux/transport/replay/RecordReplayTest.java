package io.tickmux.transport.replay;

import static io.tickmux.routing.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.massive.MassiveTransportFactory;
import io.tickmux.transport.replay.internal.RecordingReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run against the fake Massive server (real sockets, the real Massive transport) is recorded,
 * then replayed as fast as possible through a new manager: the sink sees the same events, per
 * connection and in the same order.
 */
class RecordReplayTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Map<String, List<String>> TICKERS =
            Map.of(
                    "connection_1", List.of("AAPL", "MSFT", "NVDA"),
                    "connection_2", List.of("JPM", "BAC", "BRK.A"));

    @TempDir Path dir;

    /** What the manager's sink saw, per connection, in order. */
    static final class Capture implements io.tickmux.spi.sink.EventSink {
        final Map<String, List<MarketEvent>> byConnection = new TreeMap<>();

        @Override
        public synchronized void onEvents(String connectionId, List<MarketEvent> events) {
            byConnection.computeIfAbsent(connectionId, k -> new ArrayList<>()).addAll(events);
        }

        synchronized int total() {
            return byConnection.values().stream().mapToInt(List::size).sum();
        }

        synchronized Map<String, List<MarketEvent>> copy() {
            Map<String, List<MarketEvent>> m = new TreeMap<>();
            byConnection.forEach((k, v) -> m.put(k, List.copyOf(v)));
            return m;
        }
    }

    static Config root(FakeMassiveServer server, Path dir) {
        return ConfigFactory.parseString(
                        "tickmux.transport.massive { url = \""
                                + server.url()
                                + "\", api-key = k1, channels = [T, Q] }\n"
                                + "tickmux.core.reconnect { initial-delay = 20ms, max-delay ="
                                + " 100ms }\n"
                                + "tickmux.transport.recording.dir = \""
                                + dir
                                + "\"\n")
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    static MultiConnectionManager manager(
            Config root, TransportFactory transport, Capture sink, RecordingStatusListener status) {
        return MultiConnectionManager.builder()
                .settings(CoreSettings.from(root))
                .transport(transport)
                .config(root)
                .sink(sink)
                .statusListener(status)
                .tickListener(e -> {})
                .connection(ConnectionDefinition.of("connection_1"))
                .connection(ConnectionDefinition.of("connection_2"))
                .build();
    }

    @Test
    void aReplayAsFastAsPossibleReproducesTheRecordedEventsPerConnectionInOrder() throws Exception {
        Map<String, List<MarketEvent>> live;
        RecorderStats stats;
        try (FakeMassiveServer server = FakeMassiveServer.builder().build().start()) {
            Config root = root(server, dir);
            Capture sink = new Capture();
            RecordingTransportFactory rec =
                    new RecordingTransportFactory(
                            new MassiveTransportFactory(), RecorderSettings.from(root));
            try (MultiConnectionManager m =
                    manager(root, rec, sink, new RecordingStatusListener(TIMEOUT))) {
                assertThat(m.connectAll(TICKERS, TIMEOUT)).isTrue();
                server.startGenerator(100);
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(sink.total()).isGreaterThan(1_000));
                server.stopGenerator();
                // Quiet is a fact: every event sent on the (still open) sessions has arrived.
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(sink.total())
                                                .isEqualTo(
                                                        server.liveSessions().stream()
                                                                .mapToInt(s -> s.sent().size())
                                                                .sum()));
            }
            rec.close();
            live = sink.copy();
            stats = rec.stats();
        }
        assertThat(stats.dropped()).isZero();
        assertThat(stats.filesCompleted()).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .satisfies(
                            n ->
                                    assertThat(n)
                                            .matches(
                                                    "tickmux-\\d{8}T\\d{6}\\.\\d{3}Z-000001\\.rec\\.gz"));
        }

        ReplayTransportFactory replay =
                new ReplayTransportFactory(
                        new ReplaySettings(dir, Double.POSITIVE_INFINITY, TIMEOUT));
        Capture replayed = new Capture();
        RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        Config root = ConfigFactory.load();
        try (MultiConnectionManager m = manager(root, replay, replayed, status)) {
            assertThat(m.connectAll(TICKERS, TIMEOUT)).isTrue();
            ReplayReport report = replay.completion().get(30, TimeUnit.SECONDS);
            assertThat(replayed.copy()).isEqualTo(live);
            assertThat(report.eventsDelivered())
                    .isEqualTo(live.values().stream().mapToInt(List::size).sum());
            assertThat(report.eventsFiltered()).isZero();
            assertThat(report.corruptFiles()).isZero();
            assertThat(report.skippedAnswers()).isZero();
            StatusEvent.ServerStatus end =
                    status.next(
                            StatusEvent.ServerStatus.class,
                            s -> s.status().equals(ReplayTransportFactory.END_STATUS));
            assertThat(end.message()).startsWith("end of recording: ");
        } finally {
            replay.close();
        }
    }

    @Test
    void aLostConnectionIsReplayedAndTheManagerReconnectsThroughTheReplay() throws Exception {
        Map<String, List<MarketEvent>> live;
        try (FakeMassiveServer server = FakeMassiveServer.builder().build().start()) {
            Config root =
                    ConfigFactory.parseString("tickmux.core.failover.enabled = false")
                            .withFallback(root(server, dir))
                            .resolve();
            Capture sink = new Capture();
            RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
            try (RecordingTransportFactory rec =
                            new RecordingTransportFactory(
                                    new MassiveTransportFactory(), RecorderSettings.from(root));
                    MultiConnectionManager m = manager(root, rec, sink, status)) {
                assertThat(m.connectAll(TICKERS, TIMEOUT)).isTrue();
                for (int i = 0; i < 20; i++) {
                    server.generateOnce();
                }
                FakeSession victim = server.sessionHolding("JPM");
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(sink.total())
                                                .isEqualTo(
                                                        server.liveSessions().stream()
                                                                .mapToInt(s -> s.sent().size())
                                                                .sum()));
                victim.abort();
                status.next(
                        StatusEvent.ConnectionStateChanged.class,
                        c -> c.connectionId().equals("connection_2") && c.to() != CONNECTED);
                status.next(
                        StatusEvent.ConnectionStateChanged.class,
                        c -> c.connectionId().equals("connection_2") && c.to() == CONNECTED);
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(m.healthStatus().covered()).isTrue());
                for (int i = 0; i < 20; i++) {
                    server.generateOnce();
                }
                long before = victim.sent().size();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(sink.total())
                                                .isEqualTo(
                                                        before
                                                                + server.liveSessions().stream()
                                                                        .mapToInt(
                                                                                s ->
                                                                                        s.sent()
                                                                                                .size())
                                                                        .sum()));
            }
            live = sink.copy();
        }

        ReplayTransportFactory replay =
                new ReplayTransportFactory(
                        new ReplaySettings(dir, Double.POSITIVE_INFINITY, TIMEOUT));
        Capture replayed = new Capture();
        RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        Config root =
                ConfigFactory.parseString(
                                "tickmux.core.failover.enabled = false\n"
                                        + "tickmux.core.reconnect { initial-delay = 20ms,"
                                        + " max-delay = 100ms }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        try (MultiConnectionManager m = manager(root, replay, replayed, status)) {
            assertThat(m.connectAll(TICKERS, TIMEOUT)).isTrue();
            ReplayReport report = replay.completion().get(30, TimeUnit.SECONDS);
            assertThat(replayed.copy()).isEqualTo(live);
            assertThat(report.skippedAnswers()).isZero();
            StatusEvent.ConnectionStateChanged lost =
                    status.next(
                            StatusEvent.ConnectionStateChanged.class,
                            c ->
                                    c.connectionId().equals("connection_2")
                                            && c.cause().contains("1006"));
            assertThat(lost.cause()).contains("abort");
        } finally {
            replay.close();
        }
        assertThat(RecordingReader.files(dir)).hasSize(1);
    }
}
