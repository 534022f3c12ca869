package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.tickmux.consumer.JetStreamSource;
import io.tickmux.consumer.TickmuxConsumer;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.TcpProxy;
import io.tickmux.wire.WireFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway JVMs ({@link GatewayMain}) under one lease, the real NATS (each gateway through its
 * own {@link TcpProxy}, so the test can cut one from the bus), the fake Massive server in this JVM
 * with a cap of two connections per key (the gateways share one key, two connections each), and a
 * consumer in this JVM. For each way of losing the active gateway (kill -9, SIGSTOP past its lease,
 * cut from the bus): the account's cap is never exceeded by the gateways together (from the fake
 * server's record of every connection), the consumer sees every event the server sent, outside the
 * reported gaps, exactly once, and the switchover time is measured and printed.
 */
class GatewayPairProcessTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final List<String> T1 = List.of("AAPL", "NVDA", "MSFT");
    private static final List<String> T2 = List.of("JPM", "BAC", "BRK.A");
    private static final int CAP = 2;

    @TempDir Path dir;

    private final String id =
            "h" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String prefix = "tmx" + id;
    private final String stream = "TMX_" + id.toUpperCase(Locale.ROOT);
    private final String bucket = "ha_" + id;
    private String nats;
    private FakeMassiveServer server;
    private TickmuxConsumer consumer;
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> epochOf = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<StatusEvent.Gap> gaps = new ConcurrentLinkedQueue<>();
    private final AtomicLong newestEpochAt = new AtomicLong();
    private final AtomicLong newestEpoch = new AtomicLong();
    private Thread watch;

    /** A gateway process, its proxy to NATS and what it printed. */
    private static final class Gateway {
        final String name;
        final TcpProxy bus;
        final Process process;
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        Gateway(String name, TcpProxy bus, Process process) {
            this.name = name;
            this.bus = bus;
            this.process = process;
        }

        boolean printed(String prefix) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }

        long activeEpoch() {
            return lines.stream()
                    .filter(l -> l.startsWith("ROLE active "))
                    .mapToLong(l -> Long.parseLong(l.substring("ROLE active ".length())))
                    .max()
                    .orElse(0);
        }

        String lastRole() {
            String r = "";
            for (String l : lines) {
                if (l.startsWith("ROLE ")) {
                    r = l;
                }
            }
            return r;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        nats = NatsServers.shared();
        server =
                FakeMassiveServer.builder()
                        .connectionCap(CAP)
                        .evictionClose(FakeMassiveServer.EvictionClose.POLICY)
                        .build()
                        .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (watch != null) {
            watch.interrupt();
        }
        for (Gateway g : gateways.values()) {
            g.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            g.bus.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        server.close();
        try (Connection c = NatsServers.connect(nats)) {
            try {
                c.jetStreamManagement().deleteStream(stream);
            } catch (Exception e) {
                // never made
            }
            try {
                c.keyValueManagement().delete(bucket);
            } catch (Exception e) {
                // never made
            }
        }
    }

    private Gateway gateway(String name) throws Exception {
        TcpProxy bus = TcpProxy.toNats(nats);
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                GatewayMain.class.getName(),
                                name,
                                bus.natsUrl(),
                                server.url() + "?gw=" + name,
                                prefix,
                                stream,
                                bucket,
                                String.join(",", T1),
                                String.join(",", T2))
                        .redirectError(dir.resolve(name + ".log").toFile())
                        .start();
        Gateway g = new Gateway(name, bus, p);
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    p.getInputStream(), StandardCharsets.UTF_8))) {
                                String l;
                                while ((l = r.readLine()) != null) {
                                    g.lines.add(l);
                                    System.out.println("[gateway " + name + "] " + l);
                                }
                            } catch (java.io.IOException e) {
                                // the process ended
                            }
                        },
                        "gateway-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        gateways.put(name, g);
        return g;
    }

    private void startConsumer() throws Exception {
        consumer =
                TickmuxConsumer.builder(JetStreamSource.of(nats, "ha-" + id).at(stream, prefix))
                        .tickListener(
                                e -> {
                                    String mid = WireFormat.messageId(e);
                                    seen.computeIfAbsent(mid, k -> new AtomicLong())
                                            .incrementAndGet();
                                })
                        .statusListener(
                                s -> {
                                    if (s instanceof StatusEvent.Gap g) {
                                        gaps.add(g);
                                    }
                                })
                        .build();
        await().atMost(LONG).ignoreExceptions().untilAsserted(consumer::start);
        watch =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                long e = consumer.epoch();
                                if (e > newestEpoch.get()) {
                                    newestEpoch.set(e);
                                    newestEpochAt.set(System.nanoTime());
                                }
                                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
                            }
                        },
                        "epoch-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** A is active and streaming to the consumer, B stands by. */
    private void pairRunning() throws Exception {
        server.startGenerator(50);
        Gateway a = gateway("A");
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(a.activeEpoch()).as("A active").isPositive());
        startConsumer();
        Gateway b = gateway("B");
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(b.printed("STARTED")).as("B started").isTrue());
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(b.lastRole()).startsWith("ROLE standby"));
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(newestEpoch.get())
                                        .as("consumer epoch")
                                        .isEqualTo(a.activeEpoch()));
        // A streams every ticker.
        await().atMost(LONG).untilAsserted(() -> assertThat(seen).hasSizeGreaterThan(100));
        assertThat(connectionsOf("B")).as("a standby opens no connection").isEmpty();
    }

    private List<FakeMassiveServer.ConnectionRecord> connectionsOf(String gw) {
        List<FakeMassiveServer.ConnectionRecord> out = new ArrayList<>();
        for (FakeMassiveServer.ConnectionRecord r : server.connections()) {
            if (r.path().endsWith("gw=" + gw)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Waits for B to stream, measures the switchover from {@code t0}, prints it. */
    private long switchedToB(String how, long t0) {
        Gateway a = gateways.get("A");
        Gateway b = gateways.get("B");
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(b.activeEpoch())
                                        .as("B active, a newer epoch")
                                        .isGreaterThan(a.activeEpoch()));
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(newestEpoch.get())
                                        .as("consumer epoch")
                                        .isEqualTo(b.activeEpoch()));
        long took = TimeUnit.NANOSECONDS.toMillis(newestEpochAt.get() - t0);
        await().atMost(LONG)
                .untilAsserted(
                        () -> assertThat(b.printed("SWITCHOVER")).as("B switched over").isTrue());
        String gatewaySide =
                b.lines.stream().filter(l -> l.startsWith("SWITCHOVER")).findFirst().orElse("");
        System.out.println(
                "SWITCHOVER MEASURED ("
                        + how
                        + "): "
                        + took
                        + " ms from the fault to the consumer's first message of epoch "
                        + b.activeEpoch()
                        + "; gateway B: "
                        + gatewaySide.substring("SWITCHOVER ".length())
                        + " ms from A's last renewal to every ticker acknowledged");
        return took;
    }

    /**
     * Every event the server sent (to any gateway) reached the consumer exactly once unless a gap
     * reported for its ticker covers its time; and B's switchover gap exists for every ticker.
     */
    private void everyEventOutsideTheGapsExactlyOnce() {
        Gateway a = gateways.get("A");
        Gateway b = gateways.get("B");
        // B streams a while, then the generator stops and the consumer catches up.
        long before = seen.size();
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(seen).hasSizeGreaterThan((int) before + 200));
        server.stopGenerator();
        Map<String, MarketEvent> sent = new HashMap<>();
        for (FakeSession s : server.sessions()) {
            for (MarketEvent e : s.sent()) {
                sent.putIfAbsent(WireFormat.messageId(e), e);
            }
        }
        // The switchover to B's epoch (from A's, or, when a starved B lost its lease once and got
        // it back, from B's earlier epoch: then that one's gaps start where A's did).
        String cause = "-> gateway B (epoch " + b.activeEpoch() + ")";
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(
                                                gaps.stream()
                                                        .filter(g -> g.cause().endsWith(cause))
                                                        .map(StatusEvent.Gap::symbol)
                                                        .distinct())
                                        .containsExactlyInAnyOrderElementsOf(concat(T1, T2)));
        await().atMost(LONG)
                .untilAsserted(
                        () -> {
                            List<String> missing = new ArrayList<>();
                            for (Map.Entry<String, MarketEvent> e : sent.entrySet()) {
                                if (!seen.containsKey(e.getKey()) && !inGap(e.getValue())) {
                                    missing.add(
                                            e.getKey()
                                                    + "@"
                                                    + Instant.ofEpochMilli(
                                                            e.getValue().timestampMillis()));
                                }
                            }
                            assertThat(missing)
                                    .as("events outside every reported gap, not delivered")
                                    .isEmpty();
                        });
        long insideGaps = sent.keySet().stream().filter(k -> !seen.containsKey(k)).count();
        long longestGap =
                gaps.stream()
                        .filter(g -> g.cause().endsWith(cause))
                        .mapToLong(g -> Duration.between(g.from(), g.to()).toMillis())
                        .max()
                        .orElse(0);
        System.out.println(
                "CHECKED: "
                        + sent.size()
                        + " events sent, "
                        + seen.size()
                        + " delivered, "
                        + insideGaps
                        + " not delivered (all inside reported gaps), longest switchover gap "
                        + longestGap
                        + " ms");
        List<String> twice = new ArrayList<>();
        seen.forEach(
                (k, n) -> {
                    if (n.get() != 1) {
                        twice.add(k + " x" + n.get());
                    }
                });
        assertThat(twice).as("events delivered more than once").isEmpty();
        assertThat(seen.keySet()).as("nothing the server never sent").isSubsetOf(sent.keySet());
        assertThat(consumer.staleEpochDropped())
                .as("messages of A's epoch stored after B's: A published something stale")
                .isZero();
    }

    private String log(String gw) throws java.io.IOException {
        return java.nio.file.Files.readString(dir.resolve(gw + ".log"));
    }

    private boolean inGap(MarketEvent e) {
        Instant t = Instant.ofEpochMilli(e.timestampMillis());
        for (StatusEvent.Gap g : gaps) {
            if (g.symbol().equals(e.symbol()) && !t.isBefore(g.from()) && !t.isAfter(g.to())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private void neverAboveTheCapAndNoEviction() {
        assertThat(server.maxOpenWithKey("pair-key"))
                .as("connections of the account's key open at once, from the server's record")
                .isLessThanOrEqualTo(CAP);
        assertThat(server.evictions()).isZero();
    }

    @Test
    void killMinus9OfTheActiveGateway() throws Exception {
        pairRunning();
        Gateway a = gateways.get("A");
        long t0 = System.nanoTime();
        a.process.destroyForcibly();
        a.process.waitFor(30, TimeUnit.SECONDS);
        switchedToB("kill -9", t0);
        everyEventOutsideTheGapsExactlyOnce();
        neverAboveTheCapAndNoEviction();
    }

    @Test
    void cutFromTheBusTheActiveGatewayClosesItsSocketsBeforeTheStandbyConnects() throws Exception {
        pairRunning();
        Gateway a = gateways.get("A");
        long t0 = System.nanoTime();
        a.bus.cut();
        switchedToB("cut from the bus", t0);
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(a.lastRole()).startsWith("ROLE standby"));
        everyEventOutsideTheGapsExactlyOnce();
        neverAboveTheCapAndNoEviction();
        // Every socket of A was closed before B's first authenticated.
        Instant bFirst =
                connectionsOf("B").stream()
                        .map(FakeMassiveServer.ConnectionRecord::authenticatedAt)
                        .min(Instant::compareTo)
                        .orElseThrow();
        for (FakeMassiveServer.ConnectionRecord r : connectionsOf("A")) {
            assertThat(r.closedAt()).as("A's session " + r.session()).isNotNull();
            assertThat(r.closedAt()).isBefore(bFirst);
        }
        assertThat(log("A")).contains("A lost the lease (epoch " + a.activeEpoch() + ")");
        // Back on the bus, A stays standing by and connects nothing.
        int aSessions = connectionsOf("A").size();
        a.bus.restore();
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(a.lastRole())
                                        .as("A read B's lease again")
                                        .isEqualTo("ROLE standby " + b().activeEpoch()));
        assertThat(connectionsOf("A")).hasSize(aSessions);
    }

    @Test
    void frozenActiveGatewayWakesAfterItsLeaseExpiredClosesItsSocketsAndPublishesNothingStale()
            throws Exception {
        pairRunning();
        Gateway a = gateways.get("A");
        long pid = a.process.pid();
        long t0 = System.nanoTime();
        signal("STOP", pid);
        try {
            switchedToB("SIGSTOP", t0);
        } finally {
            signal("CONT", pid);
        }
        int aSessions = connectionsOf("A").size();
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(a.lastRole()).startsWith("ROLE standby"));
        everyEventOutsideTheGapsExactlyOnce();
        // A frozen process cannot close its sockets: the server saw them open until B's
        // connections evicted them (oldest first, as Massive does). Every eviction hit the frozen
        // gateway, none of B's, and B alone never held more than the cap.
        assertThat(server.evictions())
                .as("the frozen gateway's sockets were still open")
                .isPositive();
        for (FakeMassiveServer.ConnectionRecord r : server.connections()) {
            if (r.evicted()) {
                assertThat(r.path()).as("evicted session " + r.session()).endsWith("gw=A");
            }
        }
        List<FakeMassiveServer.ConnectionRecord> bs = connectionsOf("B");
        assertThat(bs).isNotEmpty().allSatisfy(r -> assertThat(r.evicted()).isFalse());
        assertThat(bs.stream().filter(r -> r.closedAt() == null).count()).isLessThanOrEqualTo(CAP);
        // Woken, A opened nothing more and published nothing of its old epoch after B's.
        assertThat(connectionsOf("A")).hasSize(aSessions);
        assertThat(newestEpoch.get()).isEqualTo(b().activeEpoch());
        assertThat(log("A")).contains("A lost the lease (epoch " + a.activeEpoch() + ")");
    }

    private Gateway b() {
        return gateways.get("B");
    }

    private static void signal(String sig, long pid) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
        assertThat(k.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as("kill -" + sig + " " + pid).isZero();
    }
}
