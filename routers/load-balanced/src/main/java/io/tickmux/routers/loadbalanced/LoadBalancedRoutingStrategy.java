package io.tickmux.routers.loadbalanced;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Balances measured message volume. A connection's load is the sum of its tickers' measured rates
 * (messages per second, a decaying average the host measures), counting a ticker with no
 * measurement yet at {@code default-rate}.
 *
 * <ul>
 *   <li>A new ticker goes to the least-loaded connection that can accept it.
 *   <li>A rebalance first places the tickers of connections that are down (largest first, each on
 *       the least-loaded connection), then repeatedly moves, from the most-loaded connection to the
 *       least-loaded one, the largest ticker that lowers the larger of the two loads, until no move
 *       helps by at least {@code min-improvement} or the move budget is spent.
 *   <li>{@link #imbalance} is the largest load over the mean load, minus one.
 * </ul>
 *
 * <p>Deterministic; immutable, so thread-safe.
 */
public final class LoadBalancedRoutingStrategy implements RoutingStrategy {

    private final double defaultRate;
    private final int maxMoves;
    private final double minImprovement;

    /**
     * @param defaultRate assumed messages per second of a ticker not yet measured
     * @param maxMoves most tickers a rebalance moves off live connections (0: no limit)
     * @param minImprovement smallest relative drop of the pair's larger load worth a move
     */
    public LoadBalancedRoutingStrategy(double defaultRate, int maxMoves, double minImprovement) {
        this.defaultRate = defaultRate;
        this.maxMoves = maxMoves;
        this.minImprovement = minImprovement;
    }

    /**
     * A connection's load as this strategy counts it.
     *
     * @param c the connection
     * @return messages per second
     */
    public double load(ConnectionView c) {
        int unmeasured = Math.max(0, c.tickerCount() - c.tickerRates().size());
        return c.load() + unmeasured * defaultRate;
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        ConnectionView best = null;
        double bestLoad = 0;
        for (ConnectionView c : connections) {
            if (!c.canAccept()) {
                continue;
            }
            double l = load(c);
            if (best == null
                    || l < bestLoad
                    || (l == bestLoad && c.tickerCount() < best.tickerCount())) {
                best = c;
                bestLoad = l;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.id());
    }

    @Override
    public double imbalance(List<ConnectionView> connections) {
        double sum = 0;
        double max = 0;
        int n = 0;
        for (ConnectionView c : connections) {
            if (c.state().isRoutable()) {
                double l = load(c);
                sum += l;
                max = Math.max(max, l);
                n++;
            }
        }
        return n == 0 || sum == 0 ? 0 : Math.max(0, max / (sum / n) - 1);
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        Map<String, Double> rate = new HashMap<>();
        for (ConnectionView c : connections) {
            rate.putAll(c.tickerRates());
        }
        List<Bin> bins = new ArrayList<>();
        Map<String, Bin> byId = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            if (c.state().isRoutable()) {
                Bin b = new Bin(c.id(), c.capacity());
                bins.add(b);
                byId.put(c.id(), b);
            }
        }
        Map<String, Set<String>> plan = new LinkedHashMap<>();
        if (bins.isEmpty()) {
            return plan;
        }
        Set<String> seen = new HashSet<>();
        List<String> homeless = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<TickerView>> e : current.entrySet()) {
            Bin b = byId.get(e.getKey());
            for (TickerView t : e.getValue()) {
                if (!seen.add(t.symbol())) {
                    continue;
                }
                if (b != null && b.tickers.size() < b.capacity) {
                    b.add(t.symbol(), rate.getOrDefault(t.symbol(), defaultRate));
                } else {
                    homeless.add(t.symbol());
                }
            }
        }
        homeless.sort(
                Comparator.comparingDouble((String s) -> rate.getOrDefault(s, defaultRate))
                        .reversed()
                        .thenComparing(Comparator.naturalOrder()));
        for (String s : homeless) {
            Bin target = null;
            for (Bin b : bins) {
                if (b.tickers.size() < b.capacity && (target == null || b.load < target.load)) {
                    target = b;
                }
            }
            if (target != null) {
                target.add(s, rate.getOrDefault(s, defaultRate));
            }
        }
        int moves = 0;
        while (maxMoves == 0 || moves < maxMoves) {
            Bin hi = null;
            Bin lo = null;
            for (Bin b : bins) {
                if (hi == null || b.load > hi.load) {
                    hi = b;
                }
                if (b.tickers.size() < b.capacity && (lo == null || b.load < lo.load)) {
                    lo = b;
                }
            }
            if (lo == null || hi == lo) {
                break;
            }
            double gap = hi.load - lo.load;
            String pick = null;
            double pickRate = 0;
            for (Map.Entry<String, Double> t : hi.tickers.entrySet()) {
                double r = t.getValue();
                // Moving r lowers max(hi, lo) when r < gap; the best single move is r closest to
                // gap/2.
                if (r > 0 && r < gap && Math.abs(gap / 2 - r) < Math.abs(gap / 2 - pickRate)) {
                    pick = t.getKey();
                    pickRate = r;
                } else if (r > 0
                        && r < gap
                        && pick != null
                        && r == pickRate
                        && t.getKey().compareTo(pick) < 0) {
                    pick = t.getKey();
                }
            }
            if (pick == null) {
                break;
            }
            double newMax = Math.max(hi.load - pickRate, lo.load + pickRate);
            if (hi.load - newMax < minImprovement * hi.load) {
                break;
            }
            hi.remove(pick);
            lo.add(pick, pickRate);
            moves++;
        }
        for (Bin b : bins) {
            plan.put(b.id, new LinkedHashSet<>(b.tickers.keySet()));
        }
        return plan;
    }

    private static final class Bin {
        final String id;
        final int capacity;
        final Map<String, Double> tickers = new LinkedHashMap<>();
        double load;

        Bin(String id, int capacity) {
            this.id = id;
            this.capacity = capacity;
        }

        void add(String s, double r) {
            tickers.put(s, r);
            load += r;
        }

        void remove(String s) {
            load -= tickers.remove(s);
        }
    }
}
