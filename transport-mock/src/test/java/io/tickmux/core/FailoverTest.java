package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Gap;
import io.tickmux.spi.event.StatusEvent.TickersMoved;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.mock.MockEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Failover on the mock transport: re-homing, gaps, fail-back, and the backfill hook. */
class FailoverTest {

    private static final String SLOW_RECONNECT =
            "tickmux.core.reconnect { initial-delay = 1h, max-delay = 1h }\n";

    private static ManagerFixture three(String settings) throws Exception {
        ManagerFixture f = new ManagerFixture(settings, null, null, "c1", "c2", "c3");
        f.manager.connectAll(
                Map.of("c1", List.of("A", "B"), "c2", List.of("C", "D"), "c3", List.of("E")),
                TIMEOUT);
        return f;
    }

    @Test
    void aLostConnectionsTickersAreReHomedAtOnceAndTheUncoveredSpanIsReportedAsGaps()
            throws Exception {
        try (ManagerFixture f = three(SLOW_RECONNECT)) {
            f.mock.connection("c2").drop();
            TickersMoved first = f.status.next(TickersMoved.class);
            assertThat(first.fromConnection()).isEqualTo("c2");
            assertThat(first.cause()).startsWith("failover: abort (1006)");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(f.manager.connectionForTicker("C"))
                                        .as("C's connection")
                                        .isPresent()
                                        .isNotEqualTo(java.util.Optional.of("c2"));
                                assertThat(f.manager.connectionForTicker("D"))
                                        .as("D's connection")
                                        .isPresent()
                                        .isNotEqualTo(java.util.Optional.of("c2"));
                            });
            assertThat(f.manager.tickersOf("c2").orElseThrow()).isEmpty();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.status.all())
                                            .filteredOn(Gap.class::isInstance)
                                            .hasSize(2));
            // Gaps arrive in ack order, which is not fixed: read them from the full record.
            List<Gap> gaps =
                    f.status.all().stream()
                            .filter(e -> e instanceof Gap)
                            .map(e -> (Gap) e)
                            .toList();
            assertThat(gaps).extracting(Gap::symbol).containsExactlyInAnyOrder("C", "D");
            for (Gap g : gaps) {
                assertThat(g.connectionId()).isEqualTo("c2");
                assertThat(g.from()).isBeforeOrEqualTo(g.to());
                assertThat(g.cause()).startsWith("c2 abort (1006); covered again on c");
            }
            String cHome = f.manager.connectionForTicker("C").orElseThrow();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.mock.connection(cHome).serverSubscriptions())
                                            .contains("C"));
            f.mock.connection(cHome).emit(MockEvents.trade("C", 1, System.currentTimeMillis()));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.events).extracting(e -> e.symbol()).contains("C"));
            HealthStatus h = f.manager.healthStatus();
            assertThat(h.gaps()).isEqualTo(2);
            assertThat(h.failovers()).isEqualTo(1);
            assertThat(h.toMap()).containsEntry("gaps", 2L).containsEntry("failovers", 1L);
            assertThat(f.registry.get("tickmux.gaps").functionCounter().count()).isEqualTo(2.0);
        }
    }

    @Test
    void tickersReturnAsSoonAsTheirConnectionIsBack() throws Exception {
        try (ManagerFixture f =
                three("tickmux.core.reconnect { initial-delay = 100ms, max-delay = 100ms }")) {
            f.mock.connection("c2").drop();
            f.status.next(TickersMoved.class, m -> m.cause().startsWith("failover"));
            TickersMoved back =
                    f.status.next(TickersMoved.class, m -> m.cause().startsWith("fail-back"));
            assertThat(back.toConnection()).isEqualTo("c2");
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.manager.tickersOf("c2").orElseThrow()).containsExactlyInAnyOrder("C", "D");
            assertThat(f.mock.connection("c2").serverSubscriptions())
                    .containsExactlyInAnyOrder("C", "D");
            assertThat(f.mock.connection("c1").serverSubscriptions())
                    .containsExactlyInAnyOrder("A", "B");
            assertThat(f.mock.connection("c3").serverSubscriptions()).containsExactly("E");
        }
    }

    @Test
    void withFailBackAtRebalanceTheTickersStayWhereTheyWent() throws Exception {
        try (ManagerFixture f =
                three(
                        "tickmux.core { reconnect { initial-delay = 50ms, max-delay = 50ms },"
                                + " failover.fail-back = rebalance }")) {
            f.mock.connection("c2").drop();
            f.status.next(TickersMoved.class, m -> m.cause().startsWith("failover"));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.mock.connection("c2").sessions()).isEqualTo(2));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.manager.tickersOf("c2").orElseThrow()).isEmpty();
            assertThat(f.status.all())
                    .noneMatch(
                            e -> e instanceof TickersMoved m && m.cause().startsWith("fail-back"));
        }
    }

    @Test
    void withoutFailoverTickersWaitForTheReconnectAndTheGapIsStillReported() throws Exception {
        try (ManagerFixture f =
                three(
                        "tickmux.core { reconnect { initial-delay = 50ms, max-delay = 50ms },"
                                + " failover.enabled = false }")) {
            f.mock.connection("c2").drop();
            Gap g = f.status.next(Gap.class);
            assertThat(g.cause()).isEqualTo("c2 abort (1006); covered again on c2");
            assertThat(f.manager.tickersOf("c2").orElseThrow()).containsExactly("C", "D");
            assertThat(f.status.all()).noneMatch(e -> e instanceof TickersMoved);
        }
    }

    @Test
    void aConnectionThatFailsAuthenticationHandsItsTickersOver() throws Exception {
        try (ManagerFixture f =
                three(SLOW_RECONNECT + "tickmux.core.reconnect.initial-delay = 10ms")) {
            f.mock.connection("c3").rejectAuth();
            f.mock.connection("c3").drop();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.health("c3").state())
                                            .isEqualTo(ConnectionState.FAILED));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.connectionForTicker("E"))
                                            .as("E's connection")
                                            .isPresent()
                                            .isNotEqualTo(java.util.Optional.of("c3")));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
        }
    }

    @Test
    void withNoConnectionUpTheTickersWaitAndGapsAreReportedOnReconnect() throws Exception {
        try (ManagerFixture f =
                new ManagerFixture(
                        "tickmux.core.reconnect { initial-delay = 50ms, max-delay = 50ms }",
                        null,
                        null,
                        "c1")) {
            f.manager.connectAll(Map.of("c1", List.of("A")), TIMEOUT);
            f.mock.connection("c1").refuseNextConnects(2, DisconnectReason.CONNECT_FAILED);
            f.mock.connection("c1").drop();
            Gap g = f.status.next(Gap.class);
            assertThat(g.symbol()).isEqualTo("A");
            assertThat(g.cause()).isEqualTo("c1 abort (1006); covered again on c1");
            assertThat(f.manager.healthStatus().failovers()).isZero();
        }
    }

    @Test
    void theBackfillHookReceivesEveryGapOnItsOwnThread() throws Exception {
        LinkedBlockingQueue<String> filled = new LinkedBlockingQueue<>();
        io.tickmux.tck.RecordingStatusListener status =
                new io.tickmux.tck.RecordingStatusListener(TIMEOUT);
        io.tickmux.transport.mock.MockTransport mock =
                new io.tickmux.transport.mock.MockTransport();
        try (MultiConnectionManager m2 =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.reconnect { initial-delay = 20ms, max-delay = 20ms }"))
                        .transport(mock)
                        .statusListener(status)
                        .backfill(
                                (gap, recovered) -> {
                                    filled.add(
                                            gap.symbol() + "@" + Thread.currentThread().getName());
                                    if (gap.symbol().equals("A")) {
                                        throw new IllegalStateException("REST down");
                                    }
                                    return BackfillHook.Result.filled(1);
                                })
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            m2.connectAll(Map.of("c1", List.of("A", "B")), TIMEOUT);
            mock.connection("c1").drop();
            List<String> got =
                    List.of(
                            String.valueOf(filled.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)),
                            String.valueOf(filled.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
            assertThat(got).containsExactlyInAnyOrder("A@tickmux-backfill", "B@tickmux-backfill");
            StatusEvent.Backfill a =
                    status.next(StatusEvent.Backfill.class, b -> b.symbol().equals("A"));
            assertThat(a.outcome()).isEqualTo(StatusEvent.Backfill.Outcome.UNFILLED);
            assertThat(a.detail()).isEqualTo("the hook failed: IllegalStateException");
            StatusEvent.Backfill b =
                    status.next(StatusEvent.Backfill.class, x -> x.symbol().equals("B"));
            assertThat(b.outcome()).isEqualTo(StatusEvent.Backfill.Outcome.FILLED);
            assertThat(b.pages()).isEqualTo(1);
            assertThat(m2.healthStatus().backfill())
                    .satisfies(
                            h -> {
                                assertThat(h.enabled()).isTrue();
                                assertThat(h.filled()).isEqualTo(1);
                                assertThat(h.unfilled()).isEqualTo(1);
                            });
            assertThat(
                            m2.meterRegistry()
                                    .get("tickmux.backfill.failures")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aMoveIsMakeBeforeBreakAndTheOverlapIsDeduplicated() throws Exception {
        try (ManagerFixture f = three("")) {
            var c1 = f.mock.connection("c1");
            var c2 = f.mock.connection("c2");
            c2.autoAck(false);
            assertThat(f.manager.subscribeTicker("A", "c2")).isTrue();
            // Subscribed on c2, not yet acknowledged: A stays on c1 meanwhile.
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(c2.serverSubscriptions()).contains("A"));
            assertThat(c1.serverSubscriptions()).contains("A");
            assertThat(f.manager.connectionForTicker("A")).contains("c2");
            long now = System.currentTimeMillis();
            c1.emit(MockEvents.trade("A", 1, now), MockEvents.trade("A", 2, now));
            c2.emit(MockEvents.trade("A", 2, now), MockEvents.trade("A", 3, now));
            c1.emit(MockEvents.trade("A", 3, now));
            // Each connection has its own wire thread: wait until all five copies were handled,
            // three delivered and two dropped, in whichever order the threads ran.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(
                                                f.registry
                                                        .get("tickmux.dedup.dropped")
                                                        .functionCounter()
                                                        .count())
                                        .as("copies dropped")
                                        .isEqualTo(2.0);
                                assertThat(f.events)
                                        .extracting(
                                                e -> ((io.tickmux.spi.event.Trade) e).sequence())
                                        .containsExactlyInAnyOrder(1L, 2L, 3L);
                            });
            c2.ackPending();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(c1.serverSubscriptions()).doesNotContain("A"));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.manager.tickersOf("c1").orElseThrow()).containsExactly("B");
            assertThat(f.manager.healthStatus().gaps()).isZero();
        }
    }

    @Test
    void aMoveWhoseTargetDropsBeforeItsAckStaysOnTheSource() throws Exception {
        try (ManagerFixture f = three(SLOW_RECONNECT + "tickmux.core.failover.enabled = false")) {
            var c2 = f.mock.connection("c2");
            c2.autoAck(false);
            f.manager.subscribeTicker("A", "c2");
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(c2.serverSubscriptions()).contains("A"));
            c2.drop();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.manager.connectionForTicker("A")).contains("c1"));
            assertThat(f.mock.connection("c1").serverSubscriptions()).contains("A");
        }
    }

    @Test
    void aCriticalTickerIsHeldOnTwoConnectionsAndLosingEitherLosesNothing() throws Exception {
        try (ManagerFixture f =
                new ManagerFixture(
                        SLOW_RECONNECT + "tickmux.core.redundancy.critical = \"AAPL\"",
                        null,
                        null,
                        "c1",
                        "c2",
                        "c3")) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL", "X"), "c2", List.of("Y")), TIMEOUT);
            var c1 = f.mock.connection("c1");
            // The second copy goes where the router puts a new ticker: another connection.
            var second =
                    f.mock.connection("c2").serverSubscriptions().contains("AAPL")
                            ? f.mock.connection("c2")
                            : f.mock.connection("c3");
            assertThat(second.serverSubscriptions()).contains("AAPL");
            assertThat(f.manager.connectionForTicker("AAPL")).contains("c1");
            long now = System.currentTimeMillis();
            c1.emit(MockEvents.trade("AAPL", 1, now), MockEvents.trade("AAPL", 2, now));
            second.emit(
                    MockEvents.trade("AAPL", 1, now),
                    MockEvents.trade("AAPL", 2, now),
                    MockEvents.trade("AAPL", 3, now));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(f.events).hasSize(3));
            c1.drop();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.connectionForTicker("AAPL"))
                                            .contains(second.id()));
            second.emit(MockEvents.trade("AAPL", 4, now));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(f.events).hasSize(4));
            // Each trade once. The two copies arrive on two read threads, so the first three may
            // reach the listener in any order (one thread can mark trade 1 seen and be
            // descheduled before delivering it while the other delivers 2 and 3); 4 came after.
            assertThat(f.events)
                    .extracting(e -> ((io.tickmux.spi.event.Trade) e).sequence())
                    .hasSize(4)
                    .endsWith(4L)
                    .containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            // X had one copy: it failed over with a gap; AAPL had two: no gap, no move.
            // X's gap closes when X is acknowledged on its new connection; the Gap event reaches
            // listeners on the status thread, maybe a moment after it is counted.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(f.manager.healthStatus().gaps())
                                        .as("gaps counted")
                                        .isEqualTo(1);
                                assertThat(f.status.all())
                                        .filteredOn(e -> e instanceof Gap)
                                        .extracting(e -> ((Gap) e).symbol())
                                        .containsExactly("X");
                            });
            f.manager.unsubscribeTicker("AAPL");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(second.serverSubscriptions()).doesNotContain("AAPL"));
        }
    }

    @Test
    void aRepeatedBatchIsDroppedBySequence() throws Exception {
        try (ManagerFixture f = ManagerFixture.of("c1")) {
            f.manager.connectAll(Map.of("c1", List.of("A")), TIMEOUT);
            long now = System.currentTimeMillis();
            var batch =
                    List.of(
                            MockEvents.trade("A", 1, now),
                            MockEvents.quote("A", 1, now),
                            MockEvents.trade("A", 2, now));
            f.mock.connection("c1").emit(batch);
            f.mock.connection("c1").emit(batch);
            f.mock.connection("c1").emit(MockEvents.trade("A", 3, now));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(f.events).hasSize(4));
            assertThat(f.registry.get("tickmux.dedup.dropped").functionCounter().count())
                    .isEqualTo(3.0);
        }
    }

    @Test
    void repeatedEvictionsParkAConnectionAndItsTickersMove() throws Exception {
        try (ManagerFixture f = three("tickmux.core.reconnect.eviction-cooldown = 20ms")) {
            var c3 = f.mock.connection("c3");
            c3.evict();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(c3.sessions()).isEqualTo(2));
            c3.evict();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.health("c3").state())
                                            .isEqualTo(ConnectionState.CLOSED));
            assertThat(f.health("c3").lastCause()).startsWith("parked: evicted (1008)");
            assertThat(f.manager.connectionForTicker("E").orElseThrow()).isIn("c1", "c2");
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.manager.healthStatus().notes())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "c3 parked: 2 max_connections evictions within PT30M; the account"
                                    + " evidently allows 2 connections");
            int attempts = c3.connectAttempts();
            // "Parked for good" needs some wait: with a 20 ms cooldown a retry would show within
            // 200 ms. The check can only pass falsely on a slow machine, never fail falsely.
            await().during(java.time.Duration.ofMillis(200))
                    .atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(c3.connectAttempts())
                                            .as("c3's connect attempts")
                                            .isEqualTo(attempts));
        }
    }

    @Test
    void aTickerCanBeMadeCriticalAndOrdinaryAgainAtRunTime() throws Exception {
        try (ManagerFixture f = ManagerFixture.of("c1", "c2")) {
            f.manager.connectAll(Map.of("c1", List.of("A")), TIMEOUT);
            assertThat(f.manager.setCritical("NOPE", true)).isFalse();
            assertThat(f.manager.setCritical("A", true)).isTrue();
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.mock.connection("c2").serverSubscriptions()).containsExactly("A");
            assertThat(f.manager.setCritical("A", false)).isTrue();
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.mock.connection("c2").serverSubscriptions()).isEmpty();
            assertThat(f.mock.connection("c1").serverSubscriptions()).containsExactly("A");
        }
        try (ManagerFixture single = ManagerFixture.of("c1")) {
            single.manager.connectAll(Map.of("c1", List.of("A")), TIMEOUT);
            assertThat(single.manager.setCritical("A", true)).as("no second connection").isFalse();
        }
    }
}
