package io.tickmux.core.internal;

import io.tickmux.core.CoreSettings;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The one loop that re-homes tickers: ask the router among the candidate connections (with running
 * counts), keep within capacity, move, group by source and target, publish. Used when a connection
 * is removed, when one is lost (failover), when one is back (fail-back), and when tickers are left
 * on a connection that will never carry data again. Under the manager's lock.
 */
final class Rehomer {

    private final ManagerState m;
    private final TickerBook book;

    Rehomer(ManagerState m, TickerBook book) {
        this.m = m;
        this.book = book;
    }

    /** What a placement did. */
    record Result(Map<String, Map<String, List<String>>> moved, List<TickerEntry> unplaced) {
        int count() {
            int n = 0;
            for (Map<String, List<String>> t : moved.values()) {
                for (List<String> s : t.values()) {
                    n += s.size();
                }
            }
            return n;
        }
    }

    /**
     * Places tickers on candidate connections through the router, within capacity.
     *
     * @param tickers the tickers to place
     * @param candidate which connections may take them
     * @param failedOver whether to remember the current owner as home (failover)
     * @param cause for the moved events
     */
    Result place(
            List<TickerEntry> tickers,
            Predicate<ManagedConnection> candidate,
            boolean failedOver,
            String cause) {
        Map<String, Integer> counts = new HashMap<>();
        List<ManagedConnection> targets = new ArrayList<>();
        for (ManagedConnection c : m.connections.values()) {
            if (candidate.test(c)) {
                targets.add(c);
                counts.put(c.id, c.ledger.size());
            }
        }
        Map<String, Map<String, List<String>>> moved = new LinkedHashMap<>();
        List<TickerEntry> unplaced = new ArrayList<>();
        for (TickerEntry e : tickers) {
            List<ConnectionView> views = new ArrayList<>(targets.size());
            for (ManagedConnection c : targets) {
                if (c != e.owner) {
                    views.add(c.view(counts.get(c.id)));
                }
            }
            ManagedConnection t =
                    views.isEmpty()
                            ? null
                            : m.router.select(e.view, views).map(m.connections::get).orElse(null);
            if (t == null
                    || t == e.owner
                    || !targets.contains(t)
                    || counts.get(t.id) >= t.def.capacity()) {
                unplaced.add(e);
                continue;
            }
            ManagedConnection from = e.owner;
            ManagedConnection home = e.home != null ? e.home : from;
            book.move(e, t, cause);
            if (failedOver && home != t && m.connections.containsValue(home)) {
                e.home = home;
            }
            counts.merge(t.id, 1, Integer::sum);
            moved.computeIfAbsent(from.id, k -> new LinkedHashMap<>())
                    .computeIfAbsent(t.id, k -> new ArrayList<>())
                    .add(e.symbol);
        }
        book.publishMoved(moved, cause);
        return new Result(moved, unplaced);
    }

    /**
     * A connection was lost: its tickers (not critical ones, not those moving) go to the
     * connections that are up, remembering it as their home. Their gaps were opened by {@link
     * TickerBook#socketLost}.
     */
    void failover(ManagedConnection dead, String cause) {
        List<TickerEntry> orphans = new ArrayList<>();
        for (String sym : dead.ledger.desired()) {
            TickerEntry e = m.tickers.get(sym);
            if (e != null && e.owner == dead && e.secondary == null && e.moveFrom == null) {
                orphans.add(e);
            }
        }
        if (orphans.isEmpty()) {
            return;
        }
        Result r =
                place(
                        orphans,
                        c -> c != dead && c.state == ConnectionState.CONNECTED,
                        true,
                        "failover: " + cause);
        if (r.count() == 0) {
            ManagerState.LOG.warn(
                    "{} is down and no connection that is up can take its {} tickers: they wait"
                            + " for its reconnect; the uncovered span is reported as gaps",
                    dead.id,
                    orphans.size());
            return;
        }
        m.failovers.incrementAndGet();
        ManagerState.LOG.warn(
                "failover: {} is down ({}); {} tickers re-homed on {}; {} stay with it",
                dead.id,
                cause,
                r.count(),
                r.moved().getOrDefault(dead.id, Map.of()).keySet(),
                r.unplaced().size());
    }

    /** A connection is connected again: its failed-over tickers come back (make-before-break). */
    void failBack(ManagedConnection back) {
        if (m.settings.failBack() != CoreSettings.FailBack.IMMEDIATE) {
            return;
        }
        Map<String, Map<String, List<String>>> moved = new LinkedHashMap<>();
        for (TickerEntry e : m.tickers.values()) {
            if (e.home != back || e.owner == back) {
                continue;
            }
            if (back.ledger.size() >= back.def.capacity()) {
                break;
            }
            ManagedConnection was = e.owner;
            book.move(e, back, "fail-back");
            moved.computeIfAbsent(was.id, k -> new LinkedHashMap<>())
                    .computeIfAbsent(back.id, k -> new ArrayList<>())
                    .add(e.symbol);
        }
        book.publishMoved(moved, "fail-back: " + back.id + " is connected again");
    }

    /**
     * Tickers owned by a connection that will never carry data again (failed authentication,
     * parked) go to connected connections with room, as soon as one has room; a critical ticker
     * without a live second connection gets one as soon as one has room (not one that refused it).
     * Runs at every flush; cheap when nothing is stranded: it looks only at terminal connections'
     * tickers and at critical tickers.
     */
    void adoptStranded() {
        List<TickerEntry> stranded = new ArrayList<>();
        for (ManagedConnection dead : m.connections.values()) {
            if (!dead.state.isTerminal() || dead.ledger.size() == 0) {
                continue;
            }
            for (String sym : new ArrayList<>(dead.ledger.desired())) {
                TickerEntry e = m.tickers.get(sym);
                if (e == null || e.owner != dead || e.moveFrom != null) {
                    continue;
                }
                if (e.secondary != null && !e.secondary.state.isTerminal()) {
                    book.move(e, e.secondary, "owner stopped"); // swaps roles
                } else {
                    stranded.add(e);
                }
            }
        }
        if (!stranded.isEmpty()) {
            place(
                    stranded,
                    c -> c.state == ConnectionState.CONNECTED,
                    false,
                    "its connection stopped for good");
        }
        for (TickerEntry e : m.critical) {
            if (e.secondary == null || e.secondary.state.isTerminal()) {
                book.dropSecondary(e);
                book.addSecondary(e, true);
            }
        }
    }
}
