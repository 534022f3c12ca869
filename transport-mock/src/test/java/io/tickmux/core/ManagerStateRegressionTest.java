package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.core.internal.Invariants;
import io.tickmux.core.internal.ManagerSnapshot;
import io.tickmux.core.routing.ManualRoutingStrategy;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent.Gap;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One regression test per defect of the manager's control state found by reading it (issue 15),
 * each checked against the invariants as well as by its symptom.
 */
class ManagerStateRegressionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SLOW_RECONNECT =
            "tickmux.core.reconnect { initial-delay = 1h, max-delay = 1h }\n";

    private static void assertInvariants(ManagerFixture f) {
        assertThat(Invariants.check(f.manager.core().snapshot())).as("invariants").isEmpty();
    }

    private static void awaitQuiet(ManagerFixture f) {
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(Invariants.checkQuiet(f.manager.core().snapshot()))
                                        .as("quiet invariants")
                                        .isEmpty());
    }

    private static ManagerFixture two(String settings, Map<String, List<String>> tickers)
            throws Exception {
        ManagerFixture f = new ManagerFixture(settings, null, null, "c1", "c2");
        assertThat(f.manager.connectAll(tickers, TIMEOUT)).isTrue();
        return f;
    }

    // 1. Unsubscribe during a make-before-break move used to leak the source's subscription.

    @Test
    void anUnsubscribeDuringAMoveReleasesTheSourceAndTheTarget() throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            MockConnection c1 = f.mock.connection("c1");
            MockConnection c2 = f.mock.connection("c2");
            c2.autoAck(false);
            assertThat(f.manager.subscribeTicker("AAPL", "c2")).isTrue(); // move, ack held
            assertThat(f.manager.unsubscribeTicker("AAPL")).isTrue();
            assertInvariants(f);
            c2.ackPending();
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                assertThat(c1.serverSubscriptions()).isEmpty();
                                assertThat(c2.serverSubscriptions()).containsExactly("MSFT");
                            });
            assertThat(f.manager.rebalanceConnections().moves()).isEmpty(); // used to throw
            c1.drop(); // a reconnect must not bring AAPL back
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.health("c1").state())
                                            .isEqualTo(ConnectionState.CONNECTED));
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            assertThat(c1.serverSubscriptions()).isEmpty();
            awaitQuiet(f);
        }
    }

    @Test
    void removingAMovesSourceLeavesTheTickerOnItsTargetOnly() throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            MockConnection c2 = f.mock.connection("c2");
            c2.autoAck(false);
            f.manager.subscribeTicker("AAPL", "c2");
            assertThat(f.manager.removeConnection("c1")).isTrue();
            assertInvariants(f);
            c2.ackPending();
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            assertThat(f.manager.connectionForTicker("AAPL")).contains("c2");
            assertThat(f.manager.rebalanceConnections().moves()).isEmpty();
            awaitQuiet(f);
        }
    }

    @Test
    void aMoveWhoseTargetRefusesGoesBackToItsSource() throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            f.mock.connection("c2").rejectSubscription("AAPL", "not authorized");
            f.manager.subscribeTicker("AAPL", "c2");
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(f.manager.connectionForTicker("AAPL")).contains("c1"));
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            assertThat(f.mock.connection("c1").serverSubscriptions()).containsExactly("AAPL");
            awaitQuiet(f);
        }
    }

    // 2. A refused ticker used to keep awaitSubscribed false and readiness 503 for good.

    @Test
    void aRefusedTickerIsSettledListedInHealthAndNotUncovered() throws Exception {
        ManagerFixture f = new ManagerFixture("", null, null, "c1");
        try (f) {
            f.mock.connection("c1").rejectSubscription("NOI", "not authorized");
            f.manager.connectAll(Map.of("c1", List.of("AAPL", "NOI")));
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            HealthStatus h = f.manager.healthStatus();
            assertThat(h.refusedTickers()).containsOnlyKeys("NOI");
            assertThat(h.refusedTickers().get("NOI")).contains("not authorized");
            assertThat(h.uncoveredTickers()).isZero();
            assertThat(h.covered()).isTrue();
            assertThat(h.toMap()).containsEntry("uncovered_tickers", 0);
            awaitQuiet(f);
        }
    }

    @Test
    void anAckTimeoutIsRetriedWithBackoffThenReportedRefused() throws Exception {
        ManagerFixture f =
                new ManagerFixture(
                        "tickmux.core.subscriptions { ack-timeout-retries = 2, retry-delay = 1ms }",
                        null,
                        null,
                        "c1");
        try (f) {
            MockConnection c1 = f.mock.connection("c1");
            c1.autoAck(false);
            f.manager.connectAll(Map.of("c1", List.of("DELISTED")));
            for (int attempt = 1; attempt <= 3; attempt++) {
                int sent = attempt;
                await().atMost(WAIT)
                        .untilAsserted(
                                () ->
                                        assertThat(c1.changes())
                                                .as("subscribe messages sent")
                                                .hasSize(sent));
                c1.timeOutPendingAcks();
            }
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            assertThat(f.manager.healthStatus().refusedTickers().get("DELISTED"))
                    .contains("never acknowledged");
            assertThat(f.registry.get("tickmux.subscriptions.retries").functionCounter().count())
                    .isEqualTo(2.0);
            awaitQuiet(f);
        }
    }

    @Test
    void aMoveWhoseTargetNeverAcknowledgesGoesBackToItsSource() throws Exception {
        try (ManagerFixture f =
                two(
                        "tickmux.core.subscriptions.ack-timeout-retries = 0",
                        Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            MockConnection c2 = f.mock.connection("c2");
            c2.autoAck(false);
            f.manager.subscribeTicker("AAPL", "c2");
            await().atMost(WAIT).untilAsserted(() -> assertThat(c2.changes()).hasSize(2));
            c2.timeOutPendingAcks();
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(f.manager.connectionForTicker("AAPL")).contains("c1"));
            c2.autoAck(true);
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            awaitQuiet(f);
        }
    }

    // 8. An unsubscribe that was never acknowledged used to stay pending for good.

    @Test
    void anUnacknowledgedUnsubscribeIsGivenUpAfterItsTimeout() throws Exception {
        try (ManagerFixture f =
                two(
                        "tickmux.core.subscriptions.unsubscribe-ack-timeout = 50ms",
                        Map.of("c1", List.of("AAPL", "MSFT")))) {
            f.mock.connection("c1").dropUnsubscribeAcks(true);
            f.manager.unsubscribeTicker("AAPL");
            assertThat(f.health("c1").pendingAcks()).isEqualTo(1);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(f.health("c1").pendingAcks()).isZero());
            assertThat(
                            f.registry
                                    .get("tickmux.subscriptions.unsubscribe.timeouts")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(1.0);
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
        }
    }

    // 3. Moving a critical ticker onto its own second connection never completed.

    @Test
    void movingACriticalTickerOntoItsSecondarySwapsTheirRoles() throws Exception {
        try (ManagerFixture f =
                two("tickmux.core.redundancy.critical = [AAPL]", Map.of("c1", List.of("AAPL")))) {
            assertThat(f.manager.core().snapshot().tickers().get("AAPL").secondary())
                    .isEqualTo("c2");
            assertThat(f.manager.subscribeTicker("AAPL", "c2")).isTrue();
            assertThat(f.manager.connectionForTicker("AAPL")).contains("c2");
            assertThat(f.manager.core().snapshot().tickers().get("AAPL").secondary())
                    .isEqualTo("c1");
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            awaitQuiet(f);
        }
    }

    // 4. New tickers used to land on a reconnecting connection emptied by failover.

    @Test
    void aNewTickerGoesToAConnectedConnectionNotOneThatIsDown() throws Exception {
        try (ManagerFixture f =
                two(SLOW_RECONNECT, Map.of("c1", List.of("A", "B"), "c2", List.of("C")))) {
            f.mock.connection("c2").drop();
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(f.manager.tickersOf("c2").orElseThrow()).isEmpty());
            assertThat(f.health("c2").state()).isEqualTo(ConnectionState.RECONNECTING);
            for (String s : List.of("X1", "X2", "X3")) {
                assertThat(f.manager.subscribeTicker(s)).isTrue();
                assertThat(f.manager.connectionForTicker(s)).as(s).contains("c1");
            }
            // The router's first choice is kept as the ticker's home, to return to.
            assertThat(f.manager.core().snapshot().tickers().get("X1").home()).isEqualTo("c2");
            assertInvariants(f);
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(f.manager.healthStatus().uncoveredTickers()).isZero());
        }
    }

    // 9. A connection connecting again after an eviction's cooldown counted as a first connect (the
    // eviction leaves the attempt count at 0), so a new ticker could go onto it while another
    // connection was up. Seen in ManagerModelTest, seed 10.

    @Test
    void aNewTickerAvoidsAConnectionReconnectingAfterAnEviction() throws Exception {
        GatedTransport transport = new GatedTransport("c1");
        try (MultiConnectionManager manager =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.reconnect.eviction-cooldown = 1ms"))
                        .transport(transport)
                        .routing(new ManualRoutingStrategy(Map.of("X", "c1")))
                        .connection(ConnectionDefinition.of("c1"))
                        .connection(ConnectionDefinition.of("c2"))
                        .build()) {
            assertThat(manager.connectAll(Map.of("c2", List.of("B")), WAIT)).isTrue();
            transport.holdConnects();
            transport.mock.connection("c1").evict();
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                assertThat(stateOf(manager, "c1"))
                                        .isEqualTo(ConnectionState.CONNECTING);
                                assertThat(transport.held()).as("connects held").isEqualTo(1);
                            });
            assertThat(manager.subscribeTicker("X")).isTrue();
            assertThat(manager.connectionForTicker("X")).contains("c2");
            assertThat(manager.core().snapshot().tickers().get("X").home()).isEqualTo("c1");
            assertThat(Invariants.check(manager.core().snapshot())).as("invariants").isEmpty();
            transport.releaseAll();
            assertThat(manager.awaitSubscribed(WAIT)).isTrue();
        }
    }

    private static ConnectionState stateOf(MultiConnectionManager manager, String id) {
        return manager.healthStatus().connections().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow()
                .state();
    }

    // 10. Moving a critical ticker onto its secondary during a make-before-break move left the
    // move's source in place for good: only the owner's ack ends a move, and the secondary had
    // acknowledged long before. Seen in ManagerModelTest, seed 19 (Q2: move stuck).

    @Test
    void movingACriticalTickerOntoItsSecondaryDuringAMoveEndsTheMove() throws Exception {
        ManagerFixture f =
                new ManagerFixture(
                        "tickmux.core.redundancy.critical = [AAPL]",
                        null,
                        new ManualRoutingStrategy(Map.of("AAPL", "c2")),
                        "c1",
                        "c2",
                        "c3");
        try (f) {
            assertThat(f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT)).isTrue();
            MockConnection c3 = f.mock.connection("c3");
            c3.autoAck(false);
            assertThat(f.manager.subscribeTicker("AAPL", "c3")).isTrue(); // c1 streams meanwhile
            ManagerSnapshot.Ticker moving = f.manager.core().snapshot().tickers().get("AAPL");
            assertThat(moving.owner()).isEqualTo("c3");
            assertThat(moving.moveFrom()).isEqualTo("c1");
            assertThat(moving.secondary()).isEqualTo("c2");

            assertThat(f.manager.subscribeTicker("AAPL", "c2")).isTrue(); // onto its secondary

            ManagerSnapshot.Ticker t = f.manager.core().snapshot().tickers().get("AAPL");
            assertThat(t.owner()).isEqualTo("c2");
            assertThat(t.secondary()).as("the source stays on as secondary").isEqualTo("c1");
            assertThat(t.moveFrom()).as("no move left").isNull();
            assertInvariants(f);
            c3.ackPending();
            awaitQuiet(f);
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                assertThat(c3.serverSubscriptions()).isEmpty();
                                assertThat(f.mock.connection("c1").serverSubscriptions())
                                        .containsExactly("AAPL");
                                assertThat(f.mock.connection("c2").serverSubscriptions())
                                        .containsExactly("AAPL");
                            });
        }
    }

    // 11. The server answers a ticker, not a message: the answer to a subscribe let go before it
    // was answered used to be taken for the next subscribe's, and a late refusal left the ticker
    // refused although the server carried it. Seen in ManagerModelTest, seed 19 (the server of
    // c11 held S00, which the manager listed as refused).

    @Test
    void aLateRefusalOfASubscribeLetGoIsNotTakenForTheNextOne() throws Exception {
        GatedTransport transport = new GatedTransport("c1");
        try (MultiConnectionManager manager =
                MultiConnectionManager.builder()
                        .transport(transport)
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            assertThat(manager.connectAll(Map.of("c1", List.of("A")), WAIT)).isTrue();
            MockConnection c1 = transport.mock.connection("c1");
            c1.rejectSubscription("X", "not authorized");
            transport.holdMessages();
            assertThat(manager.subscribeTicker("X", "c1")).isTrue();
            assertThat(manager.unsubscribeTicker("X")).isTrue();
            assertThat(manager.subscribeTicker("X", "c1")).isTrue();
            transport.releaseOne(); // the first subscribe: refused ...
            c1.flush(WAIT); // ... and the manager has the refusal
            c1.unrejectSubscription("X");
            transport.releaseAll(); // the unsubscribe, and a subscribe the server accepts

            assertThat(manager.awaitSubscribed(WAIT)).isTrue();
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                assertThat(c1.serverSubscriptions()).containsOnly("A", "X");
                                assertThat(manager.healthStatus().refusedTickers()).isEmpty();
                                ManagerSnapshot s = manager.core().snapshot();
                                assertThat(s.connections().get("c1").acked())
                                        .containsOnly("A", "X");
                                assertThat(Invariants.checkQuiet(s)).isEmpty();
                            });
            assertThat(Invariants.check(manager.core().snapshot())).isEmpty();
        }
    }

    // 5. The repeat filter used to drop every out-of-order print.

    @Test
    void aLatePrintIsDeliveredAndCountedWhileAnExactRepeatIsDropped() throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL")))) {
            long t = 1_700_000_000_000L;
            f.mock.connection("c1")
                    .emit(
                            MockEvents.trade("AAPL", 5, t),
                            MockEvents.trade("AAPL", 3, t + 1),
                            MockEvents.trade("AAPL", 5, t),
                            MockEvents.trade("AAPL", 6, t + 2));
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.events)
                                            .extracting(e -> ((Trade) e).sequence())
                                            .containsExactly(5L, 3L, 6L));
            assertThat(counter(f, "tickmux.events.out.of.order")).isEqualTo(1.0);
            assertThat(counter(f, "tickmux.dedup.dropped")).isEqualTo(1.0);
        }
    }

    @Test
    void healthAndMetricsCountWhatArrivedWhatTheListenerGotAndWhatTheFilterDropped()
            throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL")))) {
            long t = 1_700_000_000_000L;
            f.mock.connection("c1")
                    .emit(
                            MockEvents.trade("AAPL", 5, t),
                            MockEvents.trade("AAPL", 5, t),
                            MockEvents.trade("AAPL", 6, t + 1),
                            MockEvents.trade("AAPL", 6, t + 1),
                            MockEvents.trade("AAPL", 7, t + 2));
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                HealthStatus h = f.manager.healthStatus();
                                assertThat(h.totalTicks()).isEqualTo(5);
                                assertThat(h.deliveredTicks()).isEqualTo(3);
                                assertThat(h.duplicatesDropped()).isEqualTo(2);
                                assertThat(h.unwantedDropped()).isZero();
                                assertThat(h.toMap())
                                        .containsEntry("total_ticks", 5L)
                                        .containsEntry("delivered_ticks", 3L)
                                        .containsEntry("duplicates_dropped", 2L)
                                        .containsEntry("unwanted_dropped", 0L);
                                assertThat(counter(f, "tickmux.events")).isEqualTo(5.0);
                                assertThat(counter(f, "tickmux.events.delivered")).isEqualTo(3.0);
                                assertThat(counter(f, "tickmux.dedup.dropped")).isEqualTo(2.0);
                            });
            assertThat(f.events)
                    .extracting(e -> ((Trade) e).sequence())
                    .containsExactly(5L, 6L, 7L);
        }
    }

    // 7. With make-before-break off, a moved ticker used to lose its span silently.

    @Test
    void aBreakBeforeMakeMoveReportsAGapThatClosesOnTheTargetsAck() throws Exception {
        try (ManagerFixture f =
                two(
                        "tickmux.core.moves.make-before-break = false",
                        Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            f.manager.subscribeTicker("AAPL", "c2");
            Gap gap = f.status.next(Gap.class, g -> g.symbol().equals("AAPL"));
            assertThat(gap.connectionId()).isEqualTo("c1");
            assertThat(gap.cause()).contains("make-before-break = false").contains("c2");
            awaitQuiet(f);
        }
    }

    @Test
    void aMoveOntoAReconnectingConnectionReportsAGap() throws Exception {
        try (ManagerFixture f =
                two(SLOW_RECONNECT, Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")))) {
            f.mock.connection("c2").refuseNextConnects(1, DisconnectReason.CONNECT_FAILED);
            f.mock.connection("c2").drop();
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.health("c2").state())
                                            .isEqualTo(ConnectionState.RECONNECTING));
            assertThat(f.manager.subscribeTicker("AAPL", "c2")).isTrue();
            assertInvariants(f);
            assertThat(f.manager.core().snapshot().tickers().get("AAPL").gapOpen()).isTrue();
            assertThat(f.manager.healthStatus().uncoveredTickers()).isEqualTo(1);
        }
    }

    private static double counter(ManagerFixture f, String name) {
        return f.registry.get(name).functionCounter().count();
    }

    // Bulk operations: one subscription message per connection, not one per ticker.

    @Test
    void manyTickersAreSubscribedAndUnsubscribedInOneMessagePerConnection() throws Exception {
        try (ManagerFixture f = two("", Map.of("c1", List.of("AAPL")))) {
            MockConnection c2 = f.mock.connection("c2");
            int before = c2.changes().size();
            List<String> many = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                many.add("T" + i);
            }
            assertThat(f.manager.subscribeTickers(many, "c2")).isEmpty();
            assertThat(f.manager.awaitSubscribed(WAIT)).isTrue();
            assertThat(c2.changes().subList(before, c2.changes().size()))
                    .singleElement()
                    .satisfies(c -> assertThat(c.symbols()).hasSize(500));
            assertThat(f.manager.unsubscribeTickers(many)).isEqualTo(500);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(c2.serverSubscriptions()).isEmpty());
            assertThat(c2.changes().size() - before).isEqualTo(2);
            assertThat(f.manager.subscribeTickers(List.of("OK1", "OK2"), "nope"))
                    .containsExactly("OK1", "OK2");
            awaitQuiet(f);
        }
    }
}
