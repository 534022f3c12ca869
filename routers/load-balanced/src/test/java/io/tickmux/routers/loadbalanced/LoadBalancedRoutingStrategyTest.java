package io.tickmux.routers.loadbalanced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadBalancedRoutingStrategyTest {

    private final LoadBalancedRoutingStrategy lb = new LoadBalancedRoutingStrategy(1.0, 500, 0.001);

    private static ConnectionView c(
            String id, ConnectionState s, Map<String, Double> rates, int count) {
        return new ConnectionView(id, id, s, count, 50_000, rates, Set.of());
    }

    @Test
    void newTickersGoToTheLeastLoadedConnection() {
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, Map.of("A", 100.0), 1),
                        c("c2", ConnectionState.CONNECTED, Map.of("B", 5.0, "C", 5.0), 2),
                        c("c3", ConnectionState.CONNECTED, Map.of(), 40));
        assertThat(lb.select(TickerView.of("NEW"), pool)).contains("c2");
        assertThat(lb.load(pool.get(2))).isEqualTo(40.0);
        assertThat(lb.imbalance(pool))
                .isCloseTo(100.0 / (150.0 / 3) - 1, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * The measurement: 3,000 tickers with Zipf-like volumes (rate of the k-th = 1000/k)
     * over 3 connections, dealt out by count as a round-robin router would, then rebalanced.
     */
    @Test
    void zipfVolumesOverThreeConnectionsAreBalancedWithinTheMoveBudget() {
        double[] shuffled = zipf(true);
        assertThat(shuffled[1]).isLessThan(shuffled[0]).isLessThan(1.001);
        assertThat(shuffled[2]).isLessThan(50);
        // The worst start: the hottest third of the tickers all on connection 1.
        double[] hotTogether = zipf(false);
        assertThat(hotTogether[0]).isGreaterThan(2.0);
        assertThat(hotTogether[1]).isLessThan(1.01);
        assertThat(hotTogether[2]).isLessThanOrEqualTo(500);
    }

    /** Returns {max/mean before, max/mean after, moves}. */
    private double[] zipf(boolean shuffle) {
        int n = 3_000;
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            symbols.add(String.format("S%04d", i));
        }
        List<Double> rates = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            rates.add(1000.0 / k);
        }
        if (shuffle) {
            Collections.shuffle(rates, new Random(7));
        }
        Map<String, Double> rateOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            rateOf.put(symbols.get(i), rates.get(i));
        }
        // Contiguous blocks by symbol, equal counts: a realistic count-balanced start.
        Map<String, List<TickerView>> current = new LinkedHashMap<>();
        Map<String, Map<String, Double>> measured = new LinkedHashMap<>();
        for (int c = 0; c < 3; c++) {
            String id = "c" + (c + 1);
            current.put(id, new ArrayList<>());
            measured.put(id, new HashMap<>());
        }
        for (int i = 0; i < n; i++) {
            String id = "c" + (1 + i * 3 / n);
            current.get(id).add(TickerView.of(symbols.get(i)));
            measured.get(id).put(symbols.get(i), rateOf.get(symbols.get(i)));
        }
        List<ConnectionView> pool = new ArrayList<>();
        for (String id : current.keySet()) {
            pool.add(c(id, ConnectionState.CONNECTED, measured.get(id), current.get(id).size()));
        }
        double before = lb.imbalance(pool) + 1;
        Map<String, Set<String>> plan = lb.plan(current, pool);
        int moves = 0;
        double total = 0;
        double max = 0;
        for (Map.Entry<String, Set<String>> e : plan.entrySet()) {
            double load = 0;
            for (String s : e.getValue()) {
                load += rateOf.get(s);
                if (current.get(e.getKey()).stream().noneMatch(t -> t.symbol().equals(s))) {
                    moves++;
                }
            }
            total += load;
            max = Math.max(max, load);
        }
        double after = max / (total / 3);
        System.out.printf(
                "load-balanced, Zipf 3000 tickers over 3 connections (%s): max/mean before %.4f,"
                        + " after %.4f, moves %d%n",
                shuffle ? "shuffled" : "hottest together", before, after, moves);
        assertThat(plan.values().stream().mapToInt(Set::size).sum()).isEqualTo(n);
        return new double[] {before, after, moves};
    }

    @Test
    void aRebalanceReHomesTheTickersOfADeadConnectionLargestFirstOutsideTheBudget() {
        LoadBalancedRoutingStrategy noBudget = new LoadBalancedRoutingStrategy(1.0, 1, 0.001);
        Map<String, List<TickerView>> current =
                Map.of(
                        "c1", List.of(TickerView.of("A")),
                        "c2", List.of(TickerView.of("B")),
                        "dead",
                                List.of(
                                        TickerView.of("BIG"),
                                        TickerView.of("SMALL"),
                                        TickerView.of("MID")));
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, Map.of("A", 10.0), 1),
                        c("c2", ConnectionState.CONNECTED, Map.of("B", 1.0), 1),
                        c(
                                "dead",
                                ConnectionState.FAILED,
                                Map.of("BIG", 20.0, "SMALL", 2.0, "MID", 5.0),
                                3));
        Map<String, Set<String>> plan = noBudget.plan(current, pool);
        assertThat(plan).containsOnlyKeys("c1", "c2");
        assertThat(plan.get("c2")).contains("BIG");
        assertThat(plan.values().stream().mapToInt(Set::size).sum()).isEqualTo(5);
    }

    @Test
    void settingsAreValidated() {
        LoadBalancedRoutingStrategyFactory f = new LoadBalancedRoutingStrategyFactory();
        assertThat(f.name()).isEqualTo("load-balanced");
        assertThat(
                        f.create(
                                ConfigFactory.parseResources("reference.conf")
                                        .getConfig("tickmux.routing.load-balanced"),
                                null))
                .isInstanceOf(LoadBalancedRoutingStrategy.class);
        assertThatThrownBy(
                        () ->
                                f.create(
                                        ConfigFactory.parseString(
                                                "default-rate = -1, max-moves = x, budget = 3"),
                                        null))
                .hasMessageContaining("default-rate = -1.0 is out of range")
                .hasMessageContaining("max-moves has the wrong type")
                .hasMessageContaining("unknown key tickmux.routing.load-balanced.budget");
    }
}
