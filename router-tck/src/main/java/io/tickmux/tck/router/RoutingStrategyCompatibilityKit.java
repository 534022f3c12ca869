package io.tickmux.tck.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every routing strategy meets. Extend it and return a fresh strategy from {@link
 * #newStrategy()}; override the capability methods where a strategy promises less.
 *
 * <pre>{@code
 * class HashRouterCompatibilityTest extends RoutingStrategyCompatibilityKit {
 *     protected RoutingStrategy newStrategy() { return new HashRouter(); }
 * }
 * }</pre>
 */
public abstract class RoutingStrategyCompatibilityKit {

    private static final String[] TIERS = {"premium", "standard", "free", ""};
    private static final String[] SECTORS = {"technology", "finance", "healthcare", "energy", ""};

    /**
     * A fresh strategy, as its factory would create it with default settings.
     *
     * @return the strategy under test
     */
    protected abstract RoutingStrategy newStrategy();

    /**
     * Whether the same inputs always give the same output. Default {@code true}; a strategy that
     * uses randomness overrides it with {@code false}, and the determinism tests are skipped.
     *
     * @return the capability
     */
    protected boolean isDeterministic() {
        return true;
    }

    /**
     * Tickers the kit routes; override to give the metadata a strategy keys on.
     *
     * @param count how many
     * @return distinct tickers with varied tiers and sectors
     */
    protected List<TickerView> tickers(int count) {
        List<TickerView> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(
                    new TickerView(
                            "T" + i + (i % 7 == 0 ? ".A" : ""),
                            TIERS[i % TIERS.length],
                            SECTORS[i % SECTORS.length],
                            Set.of()));
        }
        return list;
    }

    /**
     * A connection view with the given state and load.
     *
     * @param id id
     * @param state state
     * @param count tickers on it
     * @param capacity capacity
     * @return the view
     */
    protected static ConnectionView connection(
            String id, ConnectionState state, int count, int capacity) {
        return new ConnectionView(id, id, state, count, capacity, Map.of(), Set.of());
    }

    private static List<ConnectionView> threeLive(int capacity) {
        return List.of(
                connection("connection_1", ConnectionState.CONNECTED, 0, capacity),
                connection("connection_2", ConnectionState.CONNECTED, 0, capacity),
                connection("connection_3", ConnectionState.CONNECTED, 0, capacity));
    }

    /** Routes tickers one by one, as the host would, counting each placement. */
    private Map<String, List<String>> routeAll(
            RoutingStrategy s, List<TickerView> tickers, List<ConnectionView> pool) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, List<String>> placed = new LinkedHashMap<>();
        for (ConnectionView c : pool) {
            counts.put(c.id(), c.tickerCount());
            placed.put(c.id(), new ArrayList<>());
        }
        for (TickerView t : tickers) {
            List<ConnectionView> views = new ArrayList<>();
            for (ConnectionView c : pool) {
                views.add(connection(c.id(), c.state(), counts.get(c.id()), c.capacity()));
            }
            Optional<String> id = s.select(t, views);
            if (id.isPresent()) {
                assertThat(placed).containsKey(id.get());
                ConnectionView chosen =
                        views.stream().filter(v -> v.id().equals(id.get())).findFirst().get();
                assertThat(chosen.canAccept())
                        .as("%s selected for %s but cannot accept", id.get(), t.symbol())
                        .isTrue();
                counts.merge(id.get(), 1, Integer::sum);
                placed.get(id.get()).add(t.symbol());
            }
        }
        return placed;
    }

    @Nested
    @DisplayName("select")
    class Select {

        @Test
        @DisplayName("returns nothing for an empty pool")
        void emptyPool() {
            assertThat(newStrategy().select(TickerView.of("AAPL"), List.of())).isEmpty();
        }

        @Test
        @DisplayName("returns nothing when no connection can accept")
        void nothingAccepts() {
            List<ConnectionView> pool =
                    List.of(
                            connection("a", ConnectionState.FAILED, 0, 10),
                            connection("b", ConnectionState.CLOSED, 0, 10),
                            connection("c", ConnectionState.COOLDOWN, 0, 10),
                            connection("d", ConnectionState.CONNECTED, 10, 10));
            for (TickerView t : tickers(50)) {
                assertThat(newStrategy().select(t, pool)).as(t.symbol()).isEmpty();
            }
        }

        @Test
        @DisplayName("routes every ticker to a connection that can accept it")
        void everyTickerRoutedToLiveConnection() {
            List<TickerView> ts = tickers(300);
            Map<String, List<String>> placed = routeAll(newStrategy(), ts, threeLive(1000));
            assertThat(placed.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
        }

        @Test
        @DisplayName("never picks a connection that is down, in random mixed pools")
        void randomPools() {
            Random r = new Random(42);
            ConnectionState[] states = ConnectionState.values();
            RoutingStrategy s = newStrategy();
            for (int trial = 0; trial < 200; trial++) {
                List<ConnectionView> pool = new ArrayList<>();
                int n = 1 + r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    int cap = 1 + r.nextInt(20);
                    pool.add(
                            connection(
                                    "c" + i,
                                    states[r.nextInt(states.length)],
                                    r.nextInt(cap + 1),
                                    cap));
                }
                TickerView t = tickers(20).get(r.nextInt(20));
                Optional<String> id = s.select(t, pool);
                boolean anyAccepts = pool.stream().anyMatch(ConnectionView::canAccept);
                if (id.isPresent()) {
                    ConnectionView chosen =
                            pool.stream()
                                    .filter(c -> c.id().equals(id.get()))
                                    .findFirst()
                                    .orElseThrow();
                    assertThat(chosen.canAccept()).as("trial %d: %s", trial, pool).isTrue();
                } else {
                    assertThat(anyAccepts)
                            .as("trial %d: a connection could accept %s in %s", trial, t, pool)
                            .isFalse();
                }
            }
        }

        @Test
        @DisplayName("fills up to capacity and no further")
        void respectsCapacity() {
            Map<String, List<String>> placed = routeAll(newStrategy(), tickers(40), threeLive(10));
            assertThat(placed.values()).allMatch(l -> l.size() <= 10);
            assertThat(placed.values().stream().mapToInt(List::size).sum()).isEqualTo(30);
        }

        @Test
        @DisplayName("gives the same answer for the same input, when deterministic")
        void deterministic() {
            Assumptions.assumeTrue(isDeterministic(), "strategy declares itself non-deterministic");
            List<TickerView> ts = tickers(200);
            assertThat(routeAll(newStrategy(), ts, threeLive(1000)))
                    .isEqualTo(routeAll(newStrategy(), ts, threeLive(1000)));
        }
    }

    @Nested
    @DisplayName("plan")
    class Plan {

        private Map<String, List<TickerView>> current(List<TickerView> ts, String... ids) {
            Map<String, List<TickerView>> m = new LinkedHashMap<>();
            for (String id : ids) {
                m.put(id, new ArrayList<>());
            }
            for (int i = 0; i < ts.size(); i++) {
                m.get(ids[i % ids.length]).add(ts.get(i));
            }
            return m;
        }

        private static List<ConnectionView> pool(
                Map<String, List<TickerView>> current, ConnectionState[] states, int capacity) {
            List<ConnectionView> pool = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, List<TickerView>> e : current.entrySet()) {
                pool.add(connection(e.getKey(), states[i++], e.getValue().size(), capacity));
            }
            return pool;
        }

        private void assertValidPlan(
                Map<String, Set<String>> plan,
                Map<String, List<TickerView>> current,
                List<ConnectionView> pool) {
            Set<String> all = new HashSet<>();
            current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, Set<String>> e : plan.entrySet()) {
                ConnectionView c =
                        pool.stream()
                                .filter(v -> v.id().equals(e.getKey()))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError("unknown " + e.getKey()));
                assertThat(c.state().isRoutable())
                        .as("plan places tickers on %s in state %s", c.id(), c.state())
                        .isTrue();
                assertThat(e.getValue().size()).isLessThanOrEqualTo(c.capacity());
                for (String s : e.getValue()) {
                    assertThat(all).as("plan invents ticker %s", s).contains(s);
                    assertThat(seen.add(s)).as("ticker %s planned twice", s).isTrue();
                }
            }
        }

        @Test
        @DisplayName("is empty with no connections")
        void noConnections() {
            assertThat(newStrategy().plan(Map.of(), List.of())).isEmpty();
        }

        @Test
        @DisplayName("places every ticker once when all connections are up")
        void allUp() {
            List<TickerView> ts = tickers(300);
            Map<String, List<TickerView>> cur = current(ts, "c1", "c2", "c3");
            ConnectionState up = ConnectionState.CONNECTED;
            List<ConnectionView> pool = pool(cur, new ConnectionState[] {up, up, up}, 1000);
            Map<String, Set<String>> plan = newStrategy().plan(cur, pool);
            assertValidPlan(plan, cur, pool);
            assertThat(plan.values().stream().mapToInt(Set::size).sum()).isEqualTo(300);
        }

        @Test
        @DisplayName("moves tickers off a dead connection onto the survivors")
        void movesOffDeadConnection() {
            List<TickerView> ts = tickers(90);
            Map<String, List<TickerView>> cur = current(ts, "c1", "c2", "c3");
            List<ConnectionView> pool =
                    pool(
                            cur,
                            new ConnectionState[] {
                                ConnectionState.CONNECTED,
                                ConnectionState.FAILED,
                                ConnectionState.CONNECTED
                            },
                            1000);
            Map<String, Set<String>> plan = newStrategy().plan(cur, pool);
            assertValidPlan(plan, cur, pool);
            assertThat(plan).doesNotContainKey("c2");
            assertThat(plan.values().stream().mapToInt(Set::size).sum()).isEqualTo(90);
        }

        @Test
        @DisplayName("respects capacity, leaving out what fits nowhere")
        void capacity() {
            List<TickerView> ts = tickers(60);
            Map<String, List<TickerView>> cur = current(ts, "c1", "c2");
            List<ConnectionView> pool =
                    List.of(
                            connection("c1", ConnectionState.CONNECTED, 30, 40),
                            connection("c2", ConnectionState.CLOSED, 30, 40));
            Map<String, Set<String>> plan = newStrategy().plan(cur, pool);
            assertValidPlan(plan, cur, pool);
            assertThat(plan.getOrDefault("c1", Set.of())).hasSize(40);
        }

        @Test
        @DisplayName("gives the same plan for the same input, when deterministic")
        void deterministic() {
            Assumptions.assumeTrue(isDeterministic(), "strategy declares itself non-deterministic");
            List<TickerView> ts = tickers(120);
            Map<String, List<TickerView>> cur = current(ts, "c1", "c2", "c3");
            ConnectionState up = ConnectionState.CONNECTED;
            List<ConnectionView> pool = pool(cur, new ConnectionState[] {up, up, up}, 1000);
            assertThat(newStrategy().plan(cur, pool)).isEqualTo(newStrategy().plan(cur, pool));
        }
    }
}
