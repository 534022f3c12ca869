package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.ConnectionStateChanged;
import io.tickmux.spi.event.StatusEvent.SubscriptionRefused;
import io.tickmux.spi.event.StatusEvent.TickersMoved;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.SubscriptionChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MultiConnectionManagerTest {

    private static List<Trade> trades(String symbol, int from, int to) {
        List<Trade> list = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            list.add(MockEvents.trade(symbol, i, 1_700_000_000_000L + i));
        }
        return list;
    }

    @Nested
    @DisplayName("connection lifecycle")
    class Lifecycle {

        @Test
        void connectsEveryConnectionAndSubscribesItsAssignment() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2", "c3")) {
                boolean ok =
                        f.manager.connectAll(
                                Map.of(
                                        "c1", List.of("AAPL", "NVDA"),
                                        "c2", List.of("JPM"),
                                        "c3", List.of("UNH", "BRK.A")),
                                TIMEOUT);
                assertThat(ok).isTrue();
                assertThat(f.mock.connection("c1").serverSubscriptions())
                        .containsExactlyInAnyOrder("AAPL", "NVDA");
                assertThat(f.mock.connection("c2").serverSubscriptions()).containsExactly("JPM");
                assertThat(f.mock.connection("c3").serverSubscriptions())
                        .containsExactlyInAnyOrder("UNH", "BRK.A");
                HealthStatus h = f.manager.healthStatus();
                assertThat(h.connected()).isEqualTo(3);
                assertThat(h.totalTickers()).isEqualTo(5);
                assertThat(h.allConnected()).isTrue();
            }
        }

        @Test
        void sendsAllTickersOfAConnectionInOneBatch() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.subscribeTicker("AAPL", "c1");
                f.manager.subscribeTicker("MSFT", "c1");
                f.manager.start();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                SubscriptionChange first = f.mock.connection("c1").takeChange(TIMEOUT);
                assertThat(first.subscribe()).isTrue();
                assertThat(first.symbols()).containsExactly("AAPL", "MSFT");
            }
        }

        @Test
        void addedConnectionConnectsAtOnceWhenStarted() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.start();
                assertThat(f.manager.addConnection("c2", List.of("TSLA"))).isTrue();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.mock.connection("c2").serverSubscriptions()).containsExactly("TSLA");
                assertThat(f.health("c2").state()).isEqualTo(ConnectionState.CONNECTED);
            }
        }

        @Test
        void refusesADuplicateIdAndMoreThanTheMaximum() {
            try (ManagerFixture f =
                    new ManagerFixture("tickmux.core.max-connections = 2", null, null, "c1")) {
                assertThat(f.manager.addConnection(ConnectionDefinition.of("c1"))).isFalse();
                assertThat(f.manager.addConnection(ConnectionDefinition.of("c2"))).isTrue();
                assertThat(f.manager.addConnection(ConnectionDefinition.of("c3"))).isFalse();
                assertThat(f.manager.healthStatus().totalConnections()).isEqualTo(2);
            }
        }

        @Test
        void builderRefusesMoreConnectionsThanTheMaximum() {
            assertThatThrownBy(
                            () ->
                                    new ManagerFixture(
                                            "tickmux.core.max-connections = 1",
                                            null,
                                            null,
                                            "c1",
                                            "c2"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("max-connections is 1");
        }

        @Test
        void removedConnectionIsClosedAndItsTickersReHomed() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2", "c3")) {
                f.manager.connectAll(
                        Map.of(
                                "c1",
                                List.of("A", "B", "C", "D"),
                                "c2",
                                List.of("E"),
                                "c3",
                                List.of()),
                        TIMEOUT);
                assertThat(f.manager.removeConnection("c1")).isTrue();
                assertThat(f.manager.removeConnection("c1")).isFalse();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                // The manual router fills the emptiest connection first, the first in order on a
                // tie.
                Set<String> c2 = f.mock.connection("c2").serverSubscriptions();
                Set<String> c3 = f.mock.connection("c3").serverSubscriptions();
                assertThat(union(c2, c3)).containsExactlyInAnyOrder("A", "B", "C", "D", "E");
                assertThat(c3).containsExactlyInAnyOrder("A", "C");
                assertThat(c2).containsExactlyInAnyOrder("E", "B", "D");
                assertThat(f.manager.connectionForTicker("A")).contains("c3");
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.mock.connection("c1").isOpen())
                                                .as("c1 open")
                                                .isFalse());
                TickersMoved moved = f.status.next(TickersMoved.class);
                assertThat(moved.fromConnection()).isEqualTo("c1");
                assertThat(moved.cause()).isEqualTo("connection removed");
                assertThat(f.manager.healthStatus().totalConnections()).isEqualTo(2);
            }
        }

        @Test
        void tickersOfTheLastRemovedConnectionAreRefused() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                f.manager.removeConnection("c1");
                SubscriptionRefused r = f.status.next(SubscriptionRefused.class);
                assertThat(r.symbol()).isEqualTo("AAPL");
                assertThat(f.manager.connectionForTicker("AAPL")).isEmpty();
                assertThat(f.manager.healthStatus().totalTickers()).isZero();
            }
        }

        @Test
        void reconnectsAfterAnAbortAndResendsTheWholeDesiredSet() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2")) {
                f.manager.connectAll(
                        Map.of("c1", List.of("AAPL", "MSFT", "BRK.A"), "c2", List.of("JPM")),
                        TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                c1.drop();
                f.status.next(
                        ConnectionStateChanged.class,
                        e ->
                                e.to() == ConnectionState.RECONNECTING
                                        && e.cause().startsWith("abort (1006)"));
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(c1.sessions()).isEqualTo(2));
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                List<SubscriptionChange> session2 =
                        c1.changes().stream().filter(c -> c.session() == 2).toList();
                assertThat(session2).hasSize(1);
                assertThat(session2.get(0).symbols())
                        .containsExactlyInAnyOrder("AAPL", "MSFT", "BRK.A");
                assertThat(f.health("c1").reconnects()).isEqualTo(1);
                assertThat(f.mock.connection("c2").sessions()).isEqualTo(1);
            }
        }

        @Test
        void changesMadeWhileDisconnectedAreSentOnReconnect() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.reconnect { initial-delay = 300ms, max-delay = 300ms }",
                            null,
                            null,
                            "c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                c1.drop();
                f.status.next(
                        ConnectionStateChanged.class, e -> e.to() == ConnectionState.RECONNECTING);
                f.manager.unsubscribeTicker("AAPL");
                f.manager.subscribeTicker("TSLA", "c1");
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(c1.sessions()).isEqualTo(2));
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(c1.serverSubscriptions()).containsExactlyInAnyOrder("MSFT", "TSLA");
            }
        }

        @Test
        void retriesFailedConnectsWithGrowingBackoff() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.start();
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(f.mock.connection("c1").isOpen()).isTrue());
                MockConnection c1 = f.mock.connection("c1");
                c1.refuseNextConnects(3, DisconnectReason.CONNECT_FAILED);
                c1.drop();
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(c1.sessions()).isEqualTo(2));
                // Status events reach listeners on their own thread: wait for the fourth.
                List<String> causes = new ArrayList<>();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () -> {
                                    causes.clear();
                                    f.status.all().stream()
                                            .filter(
                                                    e ->
                                                            e instanceof ConnectionStateChanged c
                                                                    && c.to()
                                                                            == ConnectionState
                                                                                    .RECONNECTING)
                                            .map(e -> ((ConnectionStateChanged) e).cause())
                                            .forEach(causes::add);
                                    assertThat(causes).as("causes of reconnecting").hasSize(4);
                                });
                assertThat(causes.get(0)).contains("retry #1 in 5ms");
                assertThat(causes.get(1)).startsWith("connect-failed").contains("retry #2 in 10ms");
                assertThat(causes.get(2)).contains("retry #3 in 20ms");
                assertThat(causes.get(3)).contains("retry #4 in 20ms");
                assertThat(c1.connectAttempts()).isEqualTo(5);
                assertThat(f.health("c1").errors()).isEqualTo(3);
            }
        }

        @Test
        void authFailureIsTerminal() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")), TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                c1.rejectAuth();
                c1.drop();
                ConnectionStateChanged failed =
                        f.status.next(
                                ConnectionStateChanged.class,
                                e -> e.to() == ConnectionState.FAILED);
                assertThat(failed.cause()).startsWith("auth-failed");
                int attempts = c1.connectAttempts();
                // "Terminal" needs some wait: a retry would come within the reconnect delay
                // (5-20 ms). The check can only pass falsely on a slow machine, never fail falsely.
                await().during(Duration.ofMillis(300))
                        .atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(c1.connectAttempts())
                                                .as("connect attempts")
                                                .isEqualTo(attempts));
                assertThat(f.health("c1").state()).isEqualTo(ConnectionState.FAILED);
                assertThat(f.health("c2").state()).isEqualTo(ConnectionState.CONNECTED);
                // A failed connection no longer counts against readiness.
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.manager.subscribeTicker("TSLA", "c1")).isFalse();
            }
        }

        @Test
        void evictionWaitsOutTheCooldownAndIsCounted() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.reconnect.eviction-cooldown = 1h", null, null, "c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                c1.evict();
                f.status.next(
                        StatusEvent.ServerStatus.class, e -> e.status().equals("max_connections"));
                f.status.next(
                        ConnectionStateChanged.class, e -> e.to() == ConnectionState.COOLDOWN);
                // The cooldown is an hour; a retry before it would show within the 5-20 ms
                // reconnect delay. The check can only pass falsely on a slow machine.
                await().during(Duration.ofMillis(300))
                        .atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(c1.connectAttempts())
                                                .as("connect attempts")
                                                .isEqualTo(1));
                assertThat(f.health("c1").evictions()).isEqualTo(1);
                assertThat(f.health("c1").lastCause()).contains("retry in PT1H");
                assertThat(f.manager.subscribeTicker("MSFT", "c1")).isFalse();
            }
        }

        @Test
        void evictedConnectionReconnectsAfterTheCooldown() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.reconnect.eviction-cooldown = 50ms", null, null, "c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                f.mock.connection("c1").evict();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () -> assertThat(f.mock.connection("c1").sessions()).isEqualTo(2));
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            }
        }

        @Test
        void neverHoldsMoreSocketsThanTheMaximumAcrossReconnectsAndReplacement() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.max-connections = 2", null, null, "c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A"), "c2", List.of("B")), TIMEOUT);
                for (int i = 0; i < 5; i++) {
                    f.mock.connection("c1").drop();
                    f.mock.connection("c2").drop();
                    int round = i + 2;
                    await().atMost(TIMEOUT)
                            .untilAsserted(
                                    () -> {
                                        assertThat(f.mock.connection("c1").sessions())
                                                .as("c1 sessions")
                                                .isEqualTo(round);
                                        assertThat(f.mock.connection("c2").sessions())
                                                .as("c2 sessions")
                                                .isEqualTo(round);
                                    });
                }
                // Replace c1 by c3 while c1's close is still on its way: c3 must wait for it.
                f.manager.removeConnection("c1");
                f.manager.addConnection(ConnectionDefinition.of("c3"));
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.mock.maxOpenSockets()).isLessThanOrEqualTo(2);
                assertThat(f.manager.maxConcurrentSockets()).isLessThanOrEqualTo(2);
                assertThat(f.mock.openSockets()).isEqualTo(2);
            }
        }

        @Test
        void closeClosesEverySocketAndRefusesFurtherUse() throws Exception {
            ManagerFixture f = ManagerFixture.of("c1", "c2");
            f.manager.connectAll(Map.of("c1", List.of("A"), "c2", List.of("B")), TIMEOUT);
            f.manager.close();
            f.manager.close();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.mock.openSockets()).as("open sockets").isZero());
            assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CLOSED);
            assertThatThrownBy(() -> f.manager.subscribeTicker("X"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(f.registry.find("tickmux.connection.messages").meters()).isEmpty();
        }
    }

    @Nested
    @DisplayName("routing of subscribe and unsubscribe")
    class Routing {

        @Test
        void autoAssignedTickersGoWhereTheRouterSays() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2", "c3")) {
                f.manager.start();
                for (String s : List.of("A", "B", "C", "D", "E", "F", "G")) {
                    assertThat(f.manager.subscribeTicker(s)).isTrue();
                }
                assertThat(f.manager.tickersOf("c1").orElseThrow()).containsExactly("A", "D", "G");
                assertThat(f.manager.tickersOf("c2").orElseThrow()).containsExactly("B", "E");
                assertThat(f.manager.tickersOf("c3").orElseThrow()).containsExactly("C", "F");
                assertThat(f.manager.subscribeTicker("A")).isTrue();
                assertThat(f.manager.tickersOf("c1").orElseThrow()).hasSize(3);
                assertThat(f.manager.tickersOf("nope")).isEmpty();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            }
        }

        @Test
        void manualRulesFromConfigurationPlaceTickers() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "",
                            null,
                            new io.tickmux.core.routing.ManualRoutingStrategy(
                                    Map.of("BRK.A", "c2")),
                            "c1",
                            "c2")) {
                f.manager.subscribeTicker("AAPL");
                f.manager.subscribeTicker("BRK.A");
                assertThat(f.manager.connectionForTicker("BRK.A")).contains("c2");
                assertThat(f.manager.connectionForTicker("AAPL")).contains("c1");
            }
        }

        @Test
        void explicitTargetMovesATickerThatIsElsewhere() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT);
                assertThat(f.manager.subscribeTicker("AAPL", "c1")).isTrue();
                assertThat(f.manager.subscribeTicker("AAPL", "c2")).isTrue();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.mock.connection("c1").serverSubscriptions()).containsExactly("MSFT");
                assertThat(f.mock.connection("c2").serverSubscriptions()).containsExactly("AAPL");
                TickersMoved m = f.status.next(TickersMoved.class);
                assertThat(m.symbols()).containsExactly("AAPL");
                assertThat(m.toConnection()).isEqualTo("c2");
            }
        }

        @Test
        void unsubscribeSendsTheDiffAndForgetsTheTicker() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                c1.takeChange(TIMEOUT);
                assertThat(f.manager.unsubscribeTicker("AAPL")).isTrue();
                assertThat(f.manager.unsubscribeTicker("AAPL")).isFalse();
                SubscriptionChange unsub = c1.takeChange(TIMEOUT);
                assertThat(unsub.subscribe()).isFalse();
                assertThat(unsub.symbols()).containsExactly("AAPL");
                assertThat(f.manager.connectionForTicker("AAPL")).isEmpty();
                assertThat(f.manager.healthStatus().totalTickers()).isEqualTo(1);
            }
        }

        @Test
        void refusesUnknownConnectionsAndFullOnesWithAReason() {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.max-tickers-per-connection = 1", null, null, "c1")) {
                assertThat(f.manager.subscribeTicker("AAPL", "nope")).isFalse();
                assertThat(f.status.next(SubscriptionRefused.class).reason())
                        .contains("unknown connection 'nope'")
                        .contains("c1");
                assertThat(f.manager.subscribeTicker("AAPL", "c1")).isTrue();
                assertThat(f.manager.subscribeTicker("MSFT", "c1")).isFalse();
                assertThat(f.status.next(SubscriptionRefused.class).reason()).contains("full");
                assertThat(f.manager.subscribeTicker("TSLA")).isFalse();
                assertThat(f.status.next(SubscriptionRefused.class).reason())
                        .contains("no connection can accept");
            }
        }

        @Test
        void rejectsMalformedSymbolsWithAClearError() {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                assertThatThrownBy(() -> f.manager.subscribeTicker("AAPL,MSFT"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("invalid ticker symbol 'AAPL,MSFT'")
                        .hasMessageContaining("no spaces or commas");
                assertThatThrownBy(() -> f.manager.subscribeTicker(" "))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }

        @Test
        void connectAllReportsAnUnknownConnectionButConnectsTheRest() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                boolean ok =
                        f.manager.connectAll(
                                Map.of("c1", List.of("AAPL"), "c9", List.of("MSFT")), TIMEOUT);
                assertThat(ok).isFalse();
                assertThat(f.mock.connection("c1").serverSubscriptions()).containsExactly("AAPL");
                assertThat(f.manager.connectionForTicker("MSFT")).isEmpty();
            }
        }

        @Test
        void serverRefusalIsReportedAndCounted() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.start();
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(f.mock.connection("c1").isOpen()).isTrue());
                f.mock.connection("c1").rejectSubscription("NOI1", "not authorized");
                f.manager.subscribeTicker("NOI1", "c1");
                SubscriptionRefused r = f.status.next(SubscriptionRefused.class);
                assertThat(r.reason()).isEqualTo("not authorized");
                assertThat(r.connectionId()).isEqualTo("c1");
                assertThat(f.health("c1").errors()).isEqualTo(1);
                assertThat(f.health("c1").pendingAcks()).isZero();
            }
        }

        @Test
        void awaitSubscribedWaitsForAcks() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                MockConnection c1 = f.mock.connection("c1");
                c1.autoAck(false);
                f.manager.connectAll(Map.of("c1", List.of("AAPL", "MSFT")));
                // The subscription is on the wire but unacknowledged: not subscribed, however
                // long one waits.
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(c1.serverSubscriptions())
                                                .containsExactlyInAnyOrder("AAPL", "MSFT"));
                assertThat(f.manager.awaitSubscribed(Duration.ofMillis(200))).isFalse();
                assertThat(f.health("c1").pendingAcks()).isEqualTo(2);
                c1.ackPending();
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.health("c1").subscribedTickers()).isEqualTo(2);
            }
        }
    }

    @Nested
    @DisplayName("rebalance")
    class Rebalance {

        /** Plans everything onto the last routable connection. */
        private final RoutingStrategy allOnLast =
                new RoutingStrategy() {
                    @Override
                    public Optional<String> select(TickerView t, List<ConnectionView> cs) {
                        return cs.stream()
                                .filter(ConnectionView::canAccept)
                                .map(ConnectionView::id)
                                .findFirst();
                    }

                    @Override
                    public Map<String, Set<String>> plan(
                            Map<String, ? extends Collection<TickerView>> current,
                            List<ConnectionView> cs) {
                        Set<String> all = new LinkedHashSet<>();
                        current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
                        Map<String, Set<String>> m = new LinkedHashMap<>();
                        m.put(cs.get(cs.size() - 1).id(), all);
                        return m;
                    }
                };

        /** Splits the tickers evenly, in symbol order, over the routable connections. */
        private final RoutingStrategy evenSplit =
                new RoutingStrategy() {
                    @Override
                    public Optional<String> select(TickerView t, List<ConnectionView> cs) {
                        return cs.stream()
                                .filter(ConnectionView::canAccept)
                                .map(ConnectionView::id)
                                .findFirst();
                    }

                    @Override
                    public Map<String, Set<String>> plan(
                            Map<String, ? extends Collection<TickerView>> current,
                            List<ConnectionView> cs) {
                        List<String> all = new ArrayList<>();
                        current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
                        java.util.Collections.sort(all);
                        List<String> live =
                                cs.stream()
                                        .filter(c -> c.state().isRoutable())
                                        .map(ConnectionView::id)
                                        .toList();
                        Map<String, Set<String>> m = new LinkedHashMap<>();
                        live.forEach(id -> m.put(id, new LinkedHashSet<>()));
                        for (int i = 0; i < all.size(); i++) {
                            m.get(live.get(i * live.size() / all.size())).add(all.get(i));
                        }
                        return m;
                    }
                };

        @Test
        void theHealthCheckRebalancesWhenTheImbalancePassesTheThreshold() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core { health-check-interval = 50ms, auto-rebalance = on }",
                            null,
                            evenSplit,
                            "c1",
                            "c2")) {
                f.manager.connectAll(
                        Map.of("c1", List.of("A", "B", "C", "D", "E", "F", "G", "H")), TIMEOUT);
                TickersMoved m = f.status.next(TickersMoved.class);
                assertThat(m.cause()).isEqualTo("auto-rebalance: imbalance 1.00 above 0.25");
                assertThat(m.symbols()).containsExactly("E", "F", "G", "H");
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.mock.connection("c2").serverSubscriptions())
                        .containsExactlyInAnyOrder("E", "F", "G", "H");
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        f.registry
                                                                .get("tickmux.rebalance.moves")
                                                                .functionCounter()
                                                                .count())
                                                .as("tickmux.rebalance.moves")
                                                .isEqualTo(4.0));
            }
        }

        @Test
        void noAutomaticRebalanceWhenItIsOff() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core { health-check-interval = 20ms, auto-rebalance = off }",
                            null,
                            evenSplit,
                            "c1",
                            "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A", "B", "C", "D")), TIMEOUT);
                // "No rebalance" needs some wait: with a 20 ms health check one would show within
                // 300 ms. The check can only pass falsely on a slow machine, never fail falsely.
                await().during(Duration.ofMillis(300))
                        .atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.manager.tickersOf("c1").orElseThrow())
                                                .hasSize(4));
                assertThat(f.status.all()).noneMatch(e -> e instanceof TickersMoved);
            }
        }

        @Test
        void manualStrategyMovesNothing() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A", "B", "C")), TIMEOUT);
                RebalanceResult r = f.manager.rebalanceConnections();
                assertThat(r.moves()).isEmpty();
                assertThat(r.tickersAfter()).isEqualTo(Map.of("c1", 3, "c2", 0));
            }
        }

        @Test
        void movesWhatThePlanSaysAndReturnsTheMoves() throws Exception {
            try (ManagerFixture f = new ManagerFixture("", null, allOnLast, "c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A", "B"), "c2", List.of("C")), TIMEOUT);
                RebalanceResult r = f.manager.rebalanceConnections();
                assertThat(r.moves())
                        .containsExactly(new Move("A", "c1", "c2"), new Move("B", "c1", "c2"));
                assertThat(r.tickersBefore()).isEqualTo(Map.of("c1", 2, "c2", 1));
                assertThat(r.tickersAfter()).isEqualTo(Map.of("c1", 0, "c2", 3));
                assertThat(r.toMap()).containsEntry("moved", 2);
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                assertThat(f.mock.connection("c1").serverSubscriptions()).isEmpty();
                assertThat(f.mock.connection("c2").serverSubscriptions())
                        .containsExactlyInAnyOrder("A", "B", "C");
                TickersMoved m = f.status.next(TickersMoved.class);
                assertThat(m.symbols()).containsExactly("A", "B");
                assertThat(m.cause()).isEqualTo("rebalance requested");
            }
        }

        @Test
        void neverMovesLiveTickersOntoAConnectionThatIsReconnecting() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.reconnect { initial-delay = 1h, max-delay = 1h }",
                            null,
                            allOnLast,
                            "c1",
                            "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A"), "c2", List.of("B")), TIMEOUT);
                f.mock.connection("c2").drop();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.health("c2").state())
                                                .isEqualTo(ConnectionState.RECONNECTING));
                assertThat(f.manager.rebalanceConnections().moves()).isEmpty();
                assertThat(f.manager.connectionForTicker("A")).contains("c1");
            }
        }

        @Test
        void ignoresPlansOntoConnectionsThatAreDown() throws Exception {
            try (ManagerFixture f = new ManagerFixture("", null, allOnLast, "c1", "c2")) {
                f.manager.connectAll(Map.of("c1", List.of("A"), "c2", List.of("B")), TIMEOUT);
                f.mock.connection("c2").rejectAuth();
                f.mock.connection("c2").drop();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.health("c2").state())
                                                .isEqualTo(ConnectionState.FAILED));
                RebalanceResult r = f.manager.rebalanceConnections();
                assertThat(r.moves()).isEmpty();
                assertThat(f.manager.connectionForTicker("A")).contains("c1");
            }
        }
    }

    @Nested
    @DisplayName("callback aggregation")
    class Aggregation {

        @Test
        void eventsFromThreeConnectionsReachOneListener() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1", "c2", "c3")) {
                f.manager.connectAll(
                        Map.of("c1", List.of("AAPL"), "c2", List.of("JPM"), "c3", List.of("UNH")),
                        TIMEOUT);
                f.mock.connection("c1").emit(trades("AAPL", 1, 100));
                f.mock.connection("c2").emit(trades("JPM", 1, 50));
                f.mock.connection("c3").emit(trades("UNH", 1, 25));
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(f.events).hasSize(175));
                for (String s : List.of("AAPL", "JPM", "UNH")) {
                    assertThat(f.events.stream().filter(e -> e.symbol().equals(s)))
                            .extracting(e -> ((Trade) e).sequence())
                            .isSorted()
                            .doesNotHaveDuplicates();
                }
                HealthStatus h = f.manager.healthStatus();
                assertThat(h.totalTicks()).isEqualTo(175);
                assertThat(f.health("c1").messages()).isEqualTo(100);
                assertThat(f.health("c2").messages()).isEqualTo(50);
                assertThat(f.health("c3").lastMessageAgeMillis()).isBetween(0L, 60_000L);
                assertThat(
                                f.registry
                                        .get("tickmux.connection.messages")
                                        .tag("connection", "c1")
                                        .functionCounter()
                                        .count())
                        .isEqualTo(100.0);
                assertThat(f.registry.get("tickmux.events").functionCounter().count())
                        .isEqualTo(175.0);
                assertThat(
                                f.registry
                                        .get("tickmux.connection.up")
                                        .tag("connection", "c2")
                                        .gauge()
                                        .value())
                        .isEqualTo(1.0);
            }
        }

        @Test
        void measuresMessageRatesPerConnectionAndTicker() throws Exception {
            try (ManagerFixture f =
                    new ManagerFixture(
                            "tickmux.core.rate { sample-interval = 20ms, half-life = 20ms }",
                            null,
                            null,
                            "c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                MockConnection c1 = f.mock.connection("c1");
                AtomicInteger seq = new AtomicInteger();
                // Trades flow on every poll until the sampled rate shows them; however slow the
                // machine, 10 trades a poll make more than 10 a second.
                await().atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(5))
                        .untilAsserted(
                                () -> {
                                    int s = seq.incrementAndGet();
                                    c1.emit(trades("AAPL", s * 10, s * 10 + 9));
                                    assertThat(f.health("c1").messageRate())
                                            .as("c1's message rate")
                                            .isGreaterThan(10.0);
                                });
                assertThat(
                                f.registry
                                        .get("tickmux.connection.message.rate")
                                        .tag("connection", "c1")
                                        .gauge()
                                        .value())
                        .isGreaterThan(0.0);
            }
        }

        @Test
        void aThrowingListenerIsCountedAndNeverKillsTheConnection() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            TickListener throwing =
                    e -> {
                        if (calls.incrementAndGet() % 2 == 0) {
                            throw new IllegalStateException("listener bug");
                        }
                    };
            try (ManagerFixture f = new ManagerFixture("", throwing, null, "c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                f.mock.connection("c1").emit(trades("AAPL", 1, 10));
                f.mock.connection("c1").emit(trades("AAPL", 11, 20));
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(calls).hasValue(20));
                HealthStatus h = f.manager.healthStatus();
                assertThat(h.listenerErrors()).isEqualTo(10);
                assertThat(h.totalErrors()).isEqualTo(10);
                assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(f.mock.connection("c1").sessions()).isEqualTo(1);
                assertThat(
                                f.registry
                                        .get("tickmux.listener.errors")
                                        .tag("listener", "tick")
                                        .functionCounter()
                                        .count())
                        .isEqualTo(10.0);
            }
        }

        @Test
        void aThrowingStatusListenerIsCountedAndLaterEventsStillArrive() throws Exception {
            List<StatusEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            MultiConnectionManager m =
                    MultiConnectionManager.builder()
                            .transport(new io.tickmux.transport.mock.MockTransport())
                            .statusListener(
                                    e -> {
                                        seen.add(e);
                                        throw new IllegalStateException("status listener bug");
                                    })
                            .connection(ConnectionDefinition.of("c1"))
                            .build();
            try (m) {
                m.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                // The error is counted just after the listener threw: wait for both to agree.
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () -> {
                                    assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
                                    assertThat(m.healthStatus().listenerErrors())
                                            .as("listener errors")
                                            .isEqualTo(seen.size());
                                });
            }
        }

        @Test
        void transportErrorsAreCountedAndTheConnectionKept() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                f.mock.connection("c1").sendError("malformed-frame", "unexpected token");
                f.mock.connection("c1").emit(trades("AAPL", 1, 1));
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(f.events).hasSize(1));
                assertThat(f.health("c1").errors()).isEqualTo(1);
                assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
            }
        }

        @Test
        void measuresLagPerFrameAndFeedsExtraStatusListeners() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                java.util.concurrent.LinkedBlockingQueue<StatusEvent> extra =
                        new java.util.concurrent.LinkedBlockingQueue<>();
                StatusListener l = extra::add;
                f.manager.addStatusListener(l);
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                assertThat(extra.poll(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                        .isInstanceOf(ConnectionStateChanged.class);
                assertThat(f.manager.lagMillis("c1")).isEmpty();
                long now = System.currentTimeMillis();
                f.mock.connection("c1").emit(MockEvents.trade("AAPL", 1, now - 250));
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(f.manager.lagMillis("c1")).isPresent());
                double[] lag = f.manager.lagMillis("c1").orElseThrow();
                assertThat(lag[2]).isGreaterThanOrEqualTo(250.0);
                assertThat(f.manager.lagMillis("nope")).isEmpty();
                f.manager.removeStatusListener(l);
                extra.clear();
                f.mock.connection("c1").drop();
                f.status.next(
                        ConnectionStateChanged.class, e -> e.to() == ConnectionState.RECONNECTING);
                assertThat(extra).isEmpty();
            }
        }

        @Test
        void healthHasTheSeedShape() throws Exception {
            try (ManagerFixture f = ManagerFixture.of("c1")) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
                Map<String, Object> m = f.manager.healthStatus().toMap();
                assertThat(m)
                        .containsKeys(
                                "total_connections",
                                "connected",
                                "total_tickers",
                                "total_ticks",
                                "total_errors",
                                "connections");
                @SuppressWarnings("unchecked")
                Map<String, Object> c1 =
                        (Map<String, Object>)
                                ((Map<String, Object>) m.get("connections")).get("c1");
                assertThat(c1)
                        .containsEntry("status", "connected")
                        .containsEntry("state", "connected")
                        .containsEntry("tickers", 1)
                        .containsEntry("last_message_age_ms", -1L)
                        .containsKeys("messages", "errors", "message_rate", "reconnects");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    static List<MarketEvent> events(List<? extends MarketEvent> l) {
        return new ArrayList<>(l);
    }
}
