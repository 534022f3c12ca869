package com.example.tickmux.hashrouter;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes a ticker by a stable hash of its symbol over the connections, in the order the host gives
 * them: the same ticker always lands on the same connection while the pool is the same, so
 * independent processes agree without talking. When the hashed connection cannot accept, the next
 * one around the ring is tried.
 */
public final class HashRouter implements RoutingStrategy {

    private final int seed;

    /**
     * @param seed mixed into the hash
     */
    public HashRouter(int seed) {
        this.seed = seed;
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        int n = connections.size();
        if (n == 0) {
            return Optional.empty();
        }
        int start = Math.floorMod(mix(ticker.symbol().hashCode() ^ seed), n);
        for (int i = 0; i < n; i++) {
            ConnectionView c = connections.get((start + i) % n);
            if (c.canAccept()) {
                return Optional.of(c.id());
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        // Every ticker goes where its hash says, counting capacity as tickers are placed.
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Set<String>> plan = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            counts.put(c.id(), 0);
            if (c.state().isRoutable()) {
                plan.put(c.id(), new LinkedHashSet<>());
            }
        }
        Set<String> seen = new HashSet<>();
        List<TickerView> all = new ArrayList<>();
        current.values()
                .forEach(
                        l ->
                                l.forEach(
                                        t -> {
                                            if (seen.add(t.symbol())) {
                                                all.add(t);
                                            }
                                        }));
        all.sort(java.util.Comparator.comparing(TickerView::symbol));
        for (TickerView t : all) {
            List<ConnectionView> views = new ArrayList<>();
            for (ConnectionView c : connections) {
                views.add(
                        new ConnectionView(
                                c.id(),
                                c.name(),
                                c.state(),
                                counts.get(c.id()),
                                c.capacity(),
                                c.tickerRates(),
                                c.tags()));
            }
            select(t, views)
                    .ifPresent(
                            id -> {
                                plan.get(id).add(t.symbol());
                                counts.merge(id, 1, Integer::sum);
                            });
        }
        return plan;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
