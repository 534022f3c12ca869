package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent.Gap;
import io.tickmux.spi.event.StatusEvent.TickersMoved;
import io.tickmux.spi.event.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Failover on a live feed over loopback, checked event by event against the fake server's record of
 * what it sent: no event is lost outside a reported gap, and none is delivered twice.
 */
class MassiveFailoverTest {

    @Test
    void anAbortedConnectionsTickersMoveAndEveryLossIsInsideAReportedGap() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        ConcurrentLinkedQueue<MarketEvent> received = new ConcurrentLinkedQueue<>();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "channels = [T]",
                        "reconnect { initial-delay = 1h, max-delay = 1h }",
                        Map.of("c1", "k1", "c2", "k2", "c3", "k3"))) {
            f.manager.addStatusListener(e -> {});
            List<String> two = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                two.add("TWO" + i);
            }
            assertThat(
                            f.manager.connectAll(
                                    Map.of(
                                            "c1",
                                            List.of("ONE0", "ONE1"),
                                            "c2",
                                            two,
                                            "c3",
                                            List.of("THR0")),
                                    TIMEOUT))
                    .isTrue();
            // Count what the listener got, per trade id.
            server.startGenerator(100);
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("TWO0")).isGreaterThanOrEqualTo(10));
            FakeSession victim = server.liveSession("k2");
            victim.abort();
            f.status.next(TickersMoved.class, m -> m.fromConnection().equals("c2"));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.status.all())
                                            .as("a gap for each of c2's 20 tickers")
                                            .filteredOn(Gap.class::isInstance)
                                            .hasSize(20));
            long after = f.received("TWO0");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.received("TWO0"))
                                            .as("TWO0 flows again on its new connection")
                                            .isGreaterThanOrEqualTo(after + 10));
            server.stopGenerator();
            f.awaitDelivered(server);

            Map<String, Gap> gaps = new HashMap<>();
            f.status.all().stream()
                    .filter(e -> e instanceof Gap)
                    .map(e -> (Gap) e)
                    .forEach(g -> gaps.put(g.symbol(), g));
            assertThat(gaps.keySet()).containsExactlyInAnyOrderElementsOf(two);
            // Every trade the server sent (to any session) for c2's tickers ...
            Map<String, Trade> sentTrades = new HashMap<>();
            for (FakeSession s : server.sessions()) {
                for (MarketEvent e : s.sent()) {
                    if (e instanceof Trade t && t.symbol().startsWith("TWO")) {
                        sentTrades.put(t.tradeId(), t);
                    }
                }
            }
            Set<String> got = new HashSet<>();
            int duplicates = 0;
            for (MarketEvent e : f.receivedEvents) {
                if (e instanceof Trade t && t.symbol().startsWith("TWO") && !got.add(t.tradeId())) {
                    duplicates++;
                }
            }
            // ... was received, unless its time lies inside the ticker's reported gap.
            List<String> lostOutsideGaps = new ArrayList<>();
            int lostInsideGaps = 0;
            for (Trade t : sentTrades.values()) {
                if (got.contains(t.tradeId())) {
                    continue;
                }
                Gap g = gaps.get(t.symbol());
                long ts = t.timestamp();
                if (ts >= g.from().toEpochMilli() && ts <= g.to().toEpochMilli()) {
                    lostInsideGaps++;
                } else {
                    lostOutsideGaps.add(
                            t.symbol()
                                    + "#"
                                    + t.tradeId()
                                    + "@"
                                    + ts
                                    + " gap "
                                    + g.from()
                                    + ".."
                                    + g.to());
                }
            }
            System.out.printf(
                    "failover on abort: %d trades sent for c2's tickers, %d lost inside reported"
                            + " gaps, %d lost outside, %d duplicates; gap length %d ms%n",
                    sentTrades.size(),
                    lostInsideGaps,
                    lostOutsideGaps.size(),
                    duplicates,
                    Duration.between(gaps.get("TWO0").from(), gaps.get("TWO0").to()).toMillis());
            assertThat(lostOutsideGaps).isEmpty();
            assertThat(duplicates).isZero();
        }
    }

    /** Plans every ticker onto c2: a rebalance that moves live tickers. */
    static final io.tickmux.routing.RoutingStrategy ALL_ON_LAST =
            new io.tickmux.routing.RoutingStrategy() {
                @Override
                public java.util.Optional<String> select(
                        io.tickmux.routing.TickerView t,
                        List<io.tickmux.routing.ConnectionView> cs) {
                    return cs.stream()
                            .filter(io.tickmux.routing.ConnectionView::canAccept)
                            .map(io.tickmux.routing.ConnectionView::id)
                            .findFirst();
                }

                @Override
                public Map<String, Set<String>> plan(
                        Map<String, ? extends java.util.Collection<io.tickmux.routing.TickerView>>
                                current,
                        List<io.tickmux.routing.ConnectionView> cs) {
                    Set<String> all = new java.util.LinkedHashSet<>();
                    current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
                    return Map.of("c2", all);
                }
            };

    /**
     * A rebalance moves 30 live tickers make-before-break while the generator runs. The overlap is
     * made to happen, not hoped for: the fake server holds the target's acks, so the manager keeps
     * each ticker on the source while the target already streams it, and the test lets the moves
     * complete only once every moving ticker has had events sent on both sockets. Then every event
     * arrives once: the copies are dropped by the dedup filter, and nothing is lost.
     */
    @Test
    void aRebalanceOfALiveFeedLosesAndDuplicatesNothing() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        // The held acks must not be reported as refused meanwhile.
                        "channels = [T, Q], ack-timeout = 10m",
                        "auto-rebalance = off",
                        Map.of("c1", "k1", "c2", "k2"),
                        ALL_ON_LAST)) {
            List<String> moving = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                moving.add("MV" + i);
            }
            assertThat(f.manager.connectAll(Map.of("c1", moving, "c2", List.of("STAY")), TIMEOUT))
                    .isTrue();
            FakeSession source = server.liveSession("k1");
            FakeSession target = server.liveSession("k2");
            server.startGenerator(200);
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("MV0")).isGreaterThanOrEqualTo(20));
            target.holdAcks();
            var result = f.manager.rebalanceConnections();
            assertThat(result.moves()).hasSize(30);
            // The target streams the moving tickers; unacknowledged, they stay on the source too.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(target.heldAcks())
                                        .as("acks held on the target")
                                        .isEqualTo(60);
                                for (String sym : moving) {
                                    assertThat(target.sentCount(sym))
                                            .as("%s sent on the target during the overlap", sym)
                                            .isPositive();
                                }
                            });
            assertThat(source.tickers())
                    .as("the source keeps every moving ticker until the target acknowledges it")
                    .containsAll(moving);
            target.releaseAcks();
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(source.tickers()).isEmpty();
            long at = f.received("MV0");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.received("MV0"))
                                            .as("MV0 flows on the target alone")
                                            .isGreaterThanOrEqualTo(at + 20));
            server.stopGenerator();
            f.awaitDelivered(server);
            long sentTotal = 0;
            long copies = 0;
            for (String sym : moving) {
                Set<Object> sent = uniqueSent(server, sym);
                List<Object> got = new ArrayList<>();
                for (MarketEvent e : f.receivedEvents) {
                    if (e.symbol().equals(sym)) {
                        got.add(MassiveFixture.key(e));
                    }
                }
                assertThat(new HashSet<>(got))
                        .as("%s: every event the server sent arrived", sym)
                        .isEqualTo(sent);
                assertThat(got).as("%s: no event twice", sym).hasSameSizeAs(sent);
                sentTotal += sent.size();
                for (FakeSession s : server.sessions()) {
                    copies += s.sentCount(sym);
                }
            }
            long overlap = copies - sentTotal;
            assertThat(overlap)
                    .as("copies sent on both connections while the target's acks were held")
                    .isGreaterThanOrEqualTo(moving.size());
            // Every socket has delivered all it was sent. Each copy was dropped once: by the dedup
            // filter, or, when it reached the source after its unsubscribe was acknowledged, by the
            // transport as an event for a ticker the socket no longer holds (a transport error).
            double dedup =
                    f.manager
                            .meterRegistry()
                            .get("tickmux.dedup.dropped")
                            .functionCounter()
                            .count();
            long unheld =
                    f.manager.healthStatus().connections().stream()
                            .mapToLong(c -> c.errors())
                            .sum();
            assertThat(dedup).as("copies dropped by the dedup filter").isPositive();
            assertThat((long) dedup + unheld)
                    .as("copies dropped by the dedup filter (%s) or as unheld (%s)", dedup, unheld)
                    .isEqualTo(overlap);
            System.out.printf(
                    "rebalance of a live feed: 30 tickers moved, %d events sent, %d sent on both"
                            + " connections during the overlap and dropped by dedup, 0 lost, 0 duplicated%n",
                    sentTotal, overlap);
        }
    }

    private static Set<Object> uniqueSent(FakeMassiveServer server, String sym) {
        Set<Object> sent = new HashSet<>();
        for (FakeSession s : server.sessions()) {
            for (MarketEvent e : s.sent()) {
                if (e.symbol().equals(sym)) {
                    sent.add(MassiveFixture.key(e));
                }
            }
        }
        return sent;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "killing {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"k1", "k2"})
    void criticalTickersLoseNothingWhenEitherConnectionIsKilled(String victimKey) throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        List<String> critical = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            critical.add("CRIT" + i);
        }
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "channels = [T, Q]",
                        "reconnect { initial-delay = 1h, max-delay = 1h }, redundancy.critical = \""
                                + String.join(",", critical)
                                + "\"",
                        Map.of("c1", "k1", "c2", "k2"))) {
            assertThat(f.manager.connectAll(Map.of("c1", critical), TIMEOUT)).isTrue();
            assertThat(server.liveSession("k2").tickers())
                    .containsExactlyInAnyOrderElementsOf(critical);
            server.startGenerator(200);
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.received("CRIT0")).isGreaterThanOrEqualTo(20));
            server.liveSession(victimKey).abort();
            long at = f.received("CRIT0");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.received("CRIT0"))
                                            .as("CRIT0 flows on the survivor")
                                            .isGreaterThanOrEqualTo(at + 40));
            server.stopGenerator();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.received("CRIT0"))
                                            .isEqualTo(uniqueSent(server, "CRIT0").size()));
            long total = 0;
            for (String sym : critical) {
                Set<Object> sent = uniqueSent(server, sym);
                List<Object> got = new ArrayList<>();
                for (MarketEvent e : f.receivedEvents) {
                    if (e.symbol().equals(sym)) {
                        got.add(MassiveFixture.key(e));
                    }
                }
                assertThat(new HashSet<>(got))
                        .as("%s: every event sent arrived", sym)
                        .isEqualTo(sent);
                assertThat(got).as("%s: no event twice", sym).hasSameSizeAs(sent);
                total += sent.size();
            }
            assertThat(f.manager.healthStatus().gaps()).isZero();
            System.out.printf(
                    "critical tickers, killing %s: %d events, 0 lost, 0 duplicated, 0 gaps%n",
                    victimKey.equals("k1") ? "the primary" : "the secondary", total);
        }
    }
}
