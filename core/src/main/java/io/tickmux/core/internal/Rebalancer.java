package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.tickmux.core.Move;
import io.tickmux.core.RebalanceResult;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rebalance: the router plans where every owned ticker should be and the {@link TickerBook} moves
 * those that change (make-before-break between connected sockets). Only connected targets take
 * moves once started; critical tickers stay on their two connections; a full target keeps the
 * ticker where it is. Under the manager's lock.
 */
final class Rebalancer {

    private final ManagerState m;
    private final TickerBook book;
    private final Lifecycle lifecycle;

    Rebalancer(ManagerState m, TickerBook book, Lifecycle lifecycle) {
        this.m = m;
        this.book = book;
        this.lifecycle = lifecycle;
    }

    RebalanceResult run(String cause) {
        Map<String, Integer> before = HealthReport.counts(m);
        Map<String, List<TickerView>> current = new LinkedHashMap<>();
        for (ManagedConnection c : m.connections.values()) {
            List<TickerView> views = new ArrayList<>();
            for (String sym : HealthReport.owned(m, c)) {
                views.add(m.tickers.get(sym).view);
            }
            current.put(c.id, views);
        }
        Map<String, Set<String>> plan = m.router.plan(current, m.views());
        List<Move> moves = new ArrayList<>();
        Map<String, Map<String, List<String>>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> p : plan.entrySet()) {
            ManagedConnection target = m.connections.get(p.getKey());
            if (target == null || !target.state.isRoutable()) {
                ManagerState.LOG.error(
                        "router {} planned tickers onto '{}', which is unknown or not"
                                + " routable; that part of the plan is ignored",
                        m.router.getClass().getName(),
                        p.getKey());
                continue;
            }
            if (m.started && target.state != ConnectionState.CONNECTED) {
                ManagerState.LOG.info(
                        "rebalance: {} is {}; the tickers planned onto it stay where they are",
                        p.getKey(),
                        kebab(target.state));
                continue;
            }
            for (String sym : p.getValue()) {
                TickerEntry e = m.tickers.get(sym);
                if (e == null || e.owner == target || e.secondary != null) {
                    continue; // critical tickers stay on their two connections
                }
                if (!e.heldBy(target) && target.ledger.size() >= target.def.capacity()) {
                    ManagerState.LOG.warn(
                            "rebalance: {} stays on {}: {} is full", sym, e.owner.id, target.id);
                    continue;
                }
                String from = e.owner.id;
                book.move(e, target, cause);
                moves.add(new Move(sym, from, target.id));
                grouped.computeIfAbsent(from, k -> new LinkedHashMap<>())
                        .computeIfAbsent(target.id, k -> new ArrayList<>())
                        .add(sym);
            }
        }
        lifecycle.flush();
        book.publishMoved(grouped, cause);
        if (!moves.isEmpty()) {
            ManagerState.LOG.info(
                    "rebalance ({}): {} tickers moved; now {}",
                    cause,
                    moves.size(),
                    HealthReport.counts(m));
        }
        return new RebalanceResult(moves, before, HealthReport.counts(m));
    }
}
