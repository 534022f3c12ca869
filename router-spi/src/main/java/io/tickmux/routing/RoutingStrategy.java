package io.tickmux.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which connection carries each ticker.
 *
 * <p>The host calls {@link #select} when a ticker is subscribed without a target connection, and
 * {@link #plan} when it rebalances or re-homes the tickers of a connection that went away.
 *
 * <p><b>Threading.</b> The host never calls one strategy instance from two threads at once, so an
 * implementation may keep unsynchronized state. Calls are on the control path, never per market
 * event, but should still return in well under a millisecond for a few thousand tickers.
 *
 * <p><b>Contract</b> (checked by {@code RoutingStrategyCompatibilityKit} in the {@code tck}
 * module): a selected or planned connection is always one of those passed in and {@link
 * ConnectionView#canAccept() can accept} the ticker; a plan places every ticker it was given at
 * most once.
 */
public interface RoutingStrategy {

    /**
     * Picks the connection for one new ticker.
     *
     * @param ticker the ticker to place; never {@code null}
     * @param connections every connection the host has, in the host's order (the order of
     *     configuration); never {@code null}, may be empty
     * @return the id of a connection from {@code connections} that {@link
     *     ConnectionView#canAccept() can accept} a ticker, or empty when none can (the host then
     *     refuses the subscription with a status event)
     */
    Optional<String> select(TickerView ticker, List<ConnectionView> connections);

    /**
     * Why {@link #select} found no connection for a ticker, in words that name the fix. The host
     * puts it in the status event that refuses the subscription.
     *
     * @param ticker the ticker that was refused
     * @param connections the connections it was offered
     * @return a reason; never {@code null}
     */
    default String explainRefusal(TickerView ticker, List<ConnectionView> connections) {
        return connections.isEmpty()
                ? "there are no connections: add one"
                : "no connection can accept it (all full or down): add a connection or raise"
                        + " capacity";
    }

    /**
     * How unbalanced the connections are, by this strategy's own measure; the host rebalances
     * automatically when it passes the configured threshold. The default compares ticker counts:
     * the largest count over the mean, minus one, across routable connections (0 when even).
     * Strategies that balance something else (message volume) override it; strategies that never
     * move tickers return 0.
     *
     * @param connections every connection the host has
     * @return 0 when balanced, larger when less balanced; never negative
     */
    default double imbalance(List<ConnectionView> connections) {
        int n = 0;
        long sum = 0;
        int max = 0;
        for (ConnectionView c : connections) {
            if (c.state().isRoutable()) {
                n++;
                sum += c.tickerCount();
                max = Math.max(max, c.tickerCount());
            }
        }
        if (n == 0 || sum == 0) {
            return 0;
        }
        return Math.max(0, max / ((double) sum / n) - 1);
    }

    /**
     * Plans a full assignment for a rebalance.
     *
     * <p>The default keeps every ticker on its current connection while that connection is routable
     * and within capacity, and places the others one by one with {@link #select}, counting each
     * placement against the target's capacity. Strategies that balance override it.
     *
     * @param current the present assignment: connection id to the tickers it carries, including
     *     connections that are no longer routable; never {@code null}, may be empty
     * @param connections every connection the host has, in the host's order; never {@code null},
     *     may be empty
     * @return the target assignment: connection id to tickers. Every ticker of {@code current}
     *     appears at most once; a ticker that fits nowhere is left out and stays where it is. Only
     *     connections that can accept tickers appear as keys. Never {@code null}.
     */
    default Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        Map<String, ConnectionView> byId = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> target = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            byId.put(c.id(), c);
            counts.put(c.id(), 0);
            if (c.state().isRoutable()) {
                target.put(c.id(), new LinkedHashSet<>());
            }
        }
        List<TickerView> homeless = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<TickerView>> e : current.entrySet()) {
            ConnectionView c = byId.get(e.getKey());
            for (TickerView t : e.getValue()) {
                if (c != null && c.state().isRoutable() && counts.get(c.id()) < c.capacity()) {
                    target.get(c.id()).add(t.symbol());
                    counts.merge(c.id(), 1, Integer::sum);
                } else {
                    homeless.add(t);
                }
            }
        }
        homeless.sort(Comparator.comparing(TickerView::symbol));
        placeInTurn(homeless, connections, counts, target);
        return target;
    }

    /**
     * Places every ticker from scratch, one by one in the given order, with {@link #select},
     * counting each placement against its connection; a helper for strategies whose plan is "put
     * each ticker where a fresh select would". Tickers that fit nowhere are left out.
     *
     * @param tickers the tickers, in the order to place them (duplicates are placed once)
     * @param connections every connection the host has
     * @return connection id to tickers, with a key for every routable connection
     */
    default Map<String, Set<String>> placeAll(
            Collection<TickerView> tickers, List<ConnectionView> connections) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> target = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            counts.put(c.id(), 0);
            if (c.state().isRoutable()) {
                target.put(c.id(), new LinkedHashSet<>());
            }
        }
        Map<String, TickerView> unique = new LinkedHashMap<>();
        for (TickerView t : tickers) {
            unique.putIfAbsent(t.symbol(), t);
        }
        placeInTurn(unique.values(), connections, counts, target);
        return target;
    }

    private void placeInTurn(
            Collection<TickerView> tickers,
            List<ConnectionView> connections,
            Map<String, Integer> counts,
            Map<String, Set<String>> target) {
        for (TickerView t : tickers) {
            List<ConnectionView> views = new ArrayList<>(connections.size());
            for (ConnectionView c : connections) {
                views.add(c.withTickerCount(counts.get(c.id())));
            }
            Optional<String> chosen = select(t, views);
            if (chosen.isPresent() && target.containsKey(chosen.get())) {
                target.get(chosen.get()).add(t.symbol());
                counts.merge(chosen.get(), 1, Integer::sum);
            }
        }
    }
}
