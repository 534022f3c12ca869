package com.example.tickmux.hashrouter;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
        List<TickerView> all = new ArrayList<>();
        current.values().forEach(all::addAll);
        all.sort(Comparator.comparing(TickerView::symbol));
        return placeAll(all, connections);
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
