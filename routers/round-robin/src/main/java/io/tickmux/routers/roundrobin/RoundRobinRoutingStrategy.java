package io.tickmux.routers.roundrobin;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.routing.kit.Connections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spreads tickers evenly: a new ticker goes to the connection with the fewest tickers (the first in
 * order on a tie), which over a stream of subscriptions deals them out in turn. A rebalance
 * equalizes the counts with the fewest moves: each routable connection's target is the even share
 * (within capacity), a connection keeps its tickers up to its target, and only the surplus and the
 * tickers of connections that are down move.
 *
 * <p>Deterministic. Stateless, so thread-safe.
 */
public final class RoundRobinRoutingStrategy implements RoutingStrategy {

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        return Connections.emptiest(connections).map(ConnectionView::id);
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        List<ConnectionView> live = new ArrayList<>();
        for (ConnectionView c : connections) {
            if (c.state().isRoutable()) {
                live.add(c);
            }
        }
        Map<String, Set<String>> plan = new LinkedHashMap<>();
        if (live.isEmpty()) {
            return plan;
        }
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> holding = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Collection<TickerView>> e : current.entrySet()) {
            List<String> l = new ArrayList<>();
            for (TickerView t : e.getValue()) {
                if (seen.add(t.symbol())) {
                    l.add(t.symbol());
                }
            }
            holding.put(e.getKey(), l);
        }
        Map<String, Integer> target = targets(live, holding, seen.size());
        List<String> movers = new ArrayList<>();
        Set<String> liveIds = new HashSet<>();
        for (ConnectionView c : live) {
            liveIds.add(c.id());
            Set<String> keep = new LinkedHashSet<>();
            for (String s : holding.getOrDefault(c.id(), List.of())) {
                if (keep.size() < target.get(c.id())) {
                    keep.add(s);
                } else {
                    movers.add(s);
                }
            }
            plan.put(c.id(), keep);
        }
        for (Map.Entry<String, List<String>> h : holding.entrySet()) {
            if (!liveIds.contains(h.getKey())) {
                movers.addAll(h.getValue());
            }
        }
        movers.sort(Comparator.naturalOrder());
        int next = 0;
        for (ConnectionView c : live) {
            Set<String> set = plan.get(c.id());
            while (set.size() < target.get(c.id()) && next < movers.size()) {
                set.add(movers.get(next++));
            }
        }
        return plan;
    }

    /**
     * Even shares within capacity. The remainder goes to the connections that hold the most now,
     * which saves moves; capacity a connection cannot use is shared among the others.
     */
    private static Map<String, Integer> targets(
            List<ConnectionView> live, Map<String, List<String>> holding, int total) {
        Map<String, Integer> target = new LinkedHashMap<>();
        for (ConnectionView c : live) {
            target.put(c.id(), 0);
        }
        int left = total;
        List<ConnectionView> open = new ArrayList<>(live);
        while (left > 0 && !open.isEmpty()) {
            int share = left / open.size();
            int remainder = left % open.size();
            List<ConnectionView> byHolding = new ArrayList<>(open);
            byHolding.sort(
                    Comparator.comparingInt(
                                    (ConnectionView c) ->
                                            holding.getOrDefault(c.id(), List.of()).size())
                            .reversed());
            Set<String> extra = new HashSet<>();
            for (int i = 0; i < remainder; i++) {
                extra.add(byHolding.get(i).id());
            }
            List<ConnectionView> stillOpen = new ArrayList<>();
            int given = 0;
            for (ConnectionView c : open) {
                int want = share + (extra.contains(c.id()) ? 1 : 0);
                int room = c.capacity() - target.get(c.id());
                int add = Math.min(want, room);
                target.merge(c.id(), add, Integer::sum);
                given += add;
                if (target.get(c.id()) < c.capacity()) {
                    stillOpen.add(c);
                }
            }
            left -= given;
            if (given == 0) {
                break;
            }
            open = stillOpen;
        }
        return target;
    }
}
