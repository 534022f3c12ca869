package io.tickmux.routers.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinRoutingStrategyTest {

    private final RoundRobinRoutingStrategy rr = new RoundRobinRoutingStrategy();

    private static ConnectionView c(String id, ConnectionState s, int count, int cap) {
        return new ConnectionView(id, id, s, count, cap, Map.of(), Set.of());
    }

    private static List<TickerView> tickers(String prefix, int n) {
        List<TickerView> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(TickerView.of(String.format("%s%03d", prefix, i)));
        }
        return l;
    }

    private static int moves(Map<String, List<TickerView>> before, Map<String, Set<String>> after) {
        int moved = 0;
        for (Map.Entry<String, List<TickerView>> e : before.entrySet()) {
            for (TickerView t : e.getValue()) {
                if (!after.getOrDefault(e.getKey(), Set.of()).contains(t.symbol())) {
                    moved++;
                }
            }
        }
        return moved;
    }

    @Test
    void dealsNewTickersOutInTurn() {
        List<ConnectionView> pool =
                new ArrayList<>(
                        List.of(
                                c("c1", ConnectionState.CONNECTED, 0, 99),
                                c("c2", ConnectionState.CONNECTED, 0, 99),
                                c("c3", ConnectionState.CONNECTED, 0, 99)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = rr.select(TickerView.of("T" + i), pool).orElseThrow();
            picks.add(id);
            int idx = Integer.parseInt(id.substring(1)) - 1;
            ConnectionView old = pool.get(idx);
            pool.set(idx, c(old.id(), old.state(), old.tickerCount() + 1, 99));
        }
        assertThat(picks).containsExactly("c1", "c2", "c3", "c1", "c2", "c3");
    }

    @Test
    void seedScenarioFiveSpreadsOneUniverseOverAllEnabledConnectionsWithTheFewestMoves() {
        // WEBSOCKET_CONNECTION_1_UNIVERSE_KEY=market_leaders:top_100 on connection 1,
        // connections 2 and 3 enabled and empty: ~33 per connection.
        Map<String, List<TickerView>> before = new LinkedHashMap<>();
        before.put("c1", tickers("M", 100));
        before.put("c2", List.of());
        before.put("c3", List.of());
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, 100, 50_000),
                        c("c2", ConnectionState.CONNECTED, 0, 50_000),
                        c("c3", ConnectionState.CONNECTED, 0, 50_000));
        Map<String, Set<String>> plan = rr.plan(before, pool);
        assertThat(plan.get("c1")).hasSize(34);
        assertThat(plan.get("c2")).hasSize(33);
        assertThat(plan.get("c3")).hasSize(33);
        assertThat(moves(before, plan)).isEqualTo(66);
        assertThat(
                        rr.plan(
                                Map.of(
                                        "c1",
                                        tickers("M", 34),
                                        "c2",
                                        tickers("N", 33),
                                        "c3",
                                        tickers("O", 33)),
                                pool))
                .satisfies(p -> assertThat(p.get("c1")).hasSize(34));
    }

    @Test
    void anAlreadyEvenAssignmentMovesNothing() {
        Map<String, List<TickerView>> before =
                Map.of("c1", tickers("A", 10), "c2", tickers("B", 11), "c3", tickers("C", 10));
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, 10, 99),
                        c("c2", ConnectionState.CONNECTED, 11, 99),
                        c("c3", ConnectionState.CONNECTED, 10, 99));
        assertThat(moves(before, rr.plan(before, pool))).isZero();
    }

    @Test
    void tickersOfADeadConnectionAreSharedOutAndCapacityIsRespected() {
        Map<String, List<TickerView>> before = new LinkedHashMap<>();
        before.put("c1", tickers("A", 10));
        before.put("c2", tickers("B", 10));
        before.put("c3", tickers("C", 10));
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, 10, 12),
                        c("c2", ConnectionState.FAILED, 10, 99),
                        c("c3", ConnectionState.RECONNECTING, 10, 99));
        Map<String, Set<String>> plan = rr.plan(before, pool);
        assertThat(plan).containsOnlyKeys("c1", "c3");
        assertThat(plan.get("c1")).hasSize(12);
        assertThat(plan.get("c3")).hasSize(18);
        assertThat(moves(before, plan)).isEqualTo(10);
    }

    @Test
    void isFoundByNameAndRefusesSettings() {
        RoutingStrategyFactory f =
                ServiceLoader.load(RoutingStrategyFactory.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(x -> x.name().equals("round-robin"))
                        .findFirst()
                        .orElseThrow();
        assertThat(f.create(ConfigFactory.empty(), null))
                .isInstanceOf(RoundRobinRoutingStrategy.class);
        assertThatThrownBy(() -> f.create(ConfigFactory.parseString("x = 1"), null))
                .hasMessageContaining("takes no settings");
    }
}
