package io.tickmux.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.tickmux.app.Sinks;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.sink.nats.NatsSink;
import io.tickmux.sink.nats.NatsSinkSettings;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.transport.massive.MassiveTransportFactory;
import io.tickmux.wire.WireFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path across processes: the fake Massive server over real sockets, the gateway (manager
 * on the Massive transport with the NATS sink), a real NATS with JetStream, and a consumer
 * application in another JVM ({@link ConsumerMain}).
 */
class CrossJvmConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TICKERS_1 = List.of("AAPL", "NVDA", "MSFT", "BRK.A");
    private static final List<String> TICKERS_2 = List.of("JPM", "BAC", "GS", "TSLA");

    @TempDir Path dir;

    private final String id =
            "c" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String prefix = "tmx" + id;
    private final String stream = "TMX_" + id.toUpperCase(java.util.Locale.ROOT);
    private String url;
    private FakeMassiveServer server;
    private MultiConnectionManager manager;
    private Sinks sinks;
    private final ConcurrentLinkedQueue<MarketEvent> gatewayGot = new ConcurrentLinkedQueue<>();
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void gateway() throws Exception {
        url = NatsServers.shared();
        server = FakeMassiveServer.builder().build().start();
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \""
                                        + server.url()
                                        + "\", api-key = unused }\n"
                                        + "tickmux.core.reconnect { initial-delay = 20ms,"
                                        + " max-delay = 100ms }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        NatsSink sink =
                new NatsSink(
                        NatsSinkSettings.from(
                                ConfigFactory.parseString(
                                                "url = \""
                                                        + url
                                                        + "\", subject-prefix = "
                                                        + prefix
                                                        + ", stream.name = "
                                                        + stream)
                                        .withFallback(
                                                ConfigFactory.defaultReference()
                                                        .getConfig(NatsSinkSettings.PATH))),
                        SinkContext.of(
                                new SimpleMeterRegistry(),
                                Clock.systemUTC(),
                                NatsSinkSettings.PATH,
                                g -> {}));
        sinks = Sinks.of(List.of(sink));
        MultiConnectionManager.Builder b =
                MultiConnectionManager.builder()
                        .settings(CoreSettings.from(root))
                        .transport(new MassiveTransportFactory())
                        .config(root)
                        .tickListener(gatewayGot::add);
        for (String c : List.of("connection_1", "connection_2")) {
            b.connection(
                    new ConnectionDefinition(
                            c,
                            c,
                            20_000,
                            Set.of(),
                            ConfigFactory.parseString("api-key = key-" + c)));
        }
        manager = sinks.attach(b).build();
        sinks.start(manager);
        assertThat(
                        manager.connectAll(
                                Map.of("connection_1", TICKERS_1, "connection_2", TICKERS_2),
                                TIMEOUT))
                .isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        server.stopGenerator();
        sinks.close();
        manager.close();
        server.close();
        try (Connection c = NatsServers.connect(url)) {
            c.jetStreamManagement().deleteStream(stream);
        }
    }

    private Process consumer(String durable, Path out) throws Exception {
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                ConsumerMain.class.getName(),
                                url,
                                stream,
                                prefix,
                                durable,
                                out.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve(durable + ".stdout").toFile()))
                        .start();
        children.add(p);
        return p;
    }

    /** What the fake server sent, per ticker in order, as message ids. */
    private Map<String, List<String>> sentByTicker() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (FakeSession s : server.sessions()) {
            for (MarketEvent e : s.sent()) {
                out.computeIfAbsent(e.symbol(), k -> new ArrayList<>())
                        .add(WireFormat.messageId(e));
            }
        }
        return out;
    }

    /** The consumer's whole lines of market events, per ticker in order, as message ids. */
    private static Map<String, List<String>> consumedByTicker(Path out) throws Exception {
        Map<String, List<String>> got = new LinkedHashMap<>();
        for (String[] l : lines(out)) {
            if (l[1].equals("M")) {
                got.computeIfAbsent(l[2], k -> new ArrayList<>()).add(l[3]);
            }
        }
        return got;
    }

    private static List<String[]> lines(Path out) throws Exception {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(out)) {
            return rows;
        }
        String all = Files.readString(out);
        int end = all.lastIndexOf('\n');
        if (end < 0) {
            return rows;
        }
        for (String l : all.substring(0, end).split("\n")) {
            String[] p = l.split("\\|", 4);
            if (p.length == 4) {
                rows.add(p);
            }
        }
        return rows;
    }

    private void awaitGatewayGotEverythingSent() {
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Set<String> got = new HashSet<>();
                            for (MarketEvent e : gatewayGot) {
                                got.add(WireFormat.messageId(e));
                            }
                            long missing =
                                    sentByTicker().values().stream()
                                            .flatMap(List::stream)
                                            .filter(i -> !got.contains(i))
                                            .count();
                            assertThat(missing).as("sent events not yet at the gateway").isZero();
                        });
    }

    private void assertExactlyOnceInOrder(Path out) throws Exception {
        Map<String, List<String>> sent = sentByTicker();
        long total = sent.values().stream().mapToLong(List::size).sum();
        assertThat(total).as("events the fake server sent").isPositive();
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                consumedByTicker(out).values().stream()
                                                        .mapToLong(List::size)
                                                        .sum())
                                        .as("market events the consumer recorded")
                                        .isGreaterThanOrEqualTo(total));
        Map<String, List<String>> got = consumedByTicker(out);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (Map.Entry<String, List<String>> e : sent.entrySet()) {
            assertThat(got.get(e.getKey()))
                    .as("%s: every event exactly once, in the order sent", e.getKey())
                    .containsExactlyElementsOf(e.getValue());
        }
    }

    @Test
    void everyEventTheFakeServerSentReachesAConsumerInAnotherJvmExactlyOnceInOrder()
            throws Exception {
        Path out = dir.resolve("recorder.log");
        consumer("recorder", out);
        for (int i = 0; i < 200; i++) {
            server.generateOnce();
        }
        awaitGatewayGotEverythingSent();
        assertExactlyOnceInOrder(out);
    }

    @Test
    void aConsumerKilledMidStreamResumesWithNoLossAndNoDuplicate() throws Exception {
        Path out = dir.resolve("resumer.log");
        Process first = consumer("resumer", out);
        server.startGenerator(100);
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(lines(out).size()).isGreaterThan(2_000));
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL, mid-stream
        int before = lines(out).size();
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(gatewayGot.size())
                                        .as("the feed goes on while the consumer is down")
                                        .isGreaterThan(before + 2_000));
        consumer("resumer", out);
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(lines(out).size()).isGreaterThan(before + 2_000));
        server.stopGenerator();
        awaitGatewayGotEverythingSent();
        assertExactlyOnceInOrder(out);
        System.out.println(
                "consumer killed after "
                        + before
                        + " lines, resumed; "
                        + lines(out).size()
                        + " lines in all");
    }

    @Test
    void anUpstreamConnectionLossShowsUpAsGapEventsOnTheBus() throws Exception {
        Path out = dir.resolve("gaps.log");
        consumer("gaps", out);
        server.generateOnce();
        awaitGatewayGotEverythingSent();
        server.liveSession("key-connection_2").abort(); // no close frame: failover, then gaps
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Set<String> gapped = new HashSet<>();
                            for (String[] l : lines(out)) {
                                if (l[1].equals("G")) {
                                    gapped.add(l[2]);
                                }
                            }
                            assertThat(gapped)
                                    .as("tickers with a gap event on the bus")
                                    .containsAll(TICKERS_2)
                                    .doesNotContainAnyElementsOf(TICKERS_1);
                        });
    }
}
