package io.tickmux.core.internal;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.routing.ConnectionState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link HealthStatus}: per connection, and for the whole feed how many wanted tickers are
 * uncovered (no connected socket streams them and no server refused them) and which were refused.
 */
final class HealthReport {

    private final ManagerState m;
    private final Ingress ingress;
    private final Dispatcher dispatcher;
    private final ListenerInvoker invoker;
    private final GapTracker gaps;
    private final Sampler sampler;

    HealthReport(
            ManagerState m,
            Ingress ingress,
            Dispatcher dispatcher,
            ListenerInvoker invoker,
            GapTracker gaps,
            Sampler sampler) {
        this.m = m;
        this.ingress = ingress;
        this.dispatcher = dispatcher;
        this.invoker = invoker;
        this.gaps = gaps;
        this.sampler = sampler;
    }

    HealthStatus build() {
        List<ConnectionHealth> list = new ArrayList<>();
        int connected = 0;
        long errors = 0;
        int uncovered = 0;
        Map<String, String> refused = new LinkedHashMap<>();
        long now = m.clock.millis();
        synchronized (m.lock) {
            for (ManagedConnection c : m.connections.values()) {
                if (c.state == ConnectionState.CONNECTED) {
                    connected++;
                }
                long last = c.lastMessageMillis;
                long errs = c.errors.sum();
                errors += errs;
                list.add(
                        new ConnectionHealth(
                                c.id,
                                c.def.name(),
                                c.state,
                                owned(m, c).size(),
                                c.ledger.acked().size(),
                                c.ledger.pendingCount(),
                                c.messages.sum(),
                                errs,
                                c.rate.perSecond(),
                                last < 0 ? -1 : Math.max(0, now - last),
                                c.reconnects.get(),
                                c.evictions.get(),
                                c.lastCause));
            }
            for (TickerEntry e : m.tickers.values()) {
                String reason = e.owner.ledger.refused().get(e.symbol);
                if (reason != null) {
                    refused.put(e.symbol, e.owner.id + ": " + reason);
                } else if (!TickerBook.covers(e.owner, e.symbol)
                        && !TickerBook.covers(e.secondary, e.symbol)
                        && !TickerBook.covers(e.moveFrom, e.symbol)) {
                    uncovered++;
                }
            }
        }
        long listenerErrors = invoker.errors() + m.status.errors();
        List<String> notes = new ArrayList<>(m.notes);
        notes.addAll(m.keyedNotes.values());
        return new HealthStatus(
                notes,
                list.size(),
                connected,
                m.tickers.size(),
                ingress.total.sum(),
                invoker.delivered(),
                ingress.duplicates.sum(),
                ingress.unwanted.sum(),
                errors + listenerErrors,
                listenerErrors,
                dispatcher.dropped(),
                dispatcher.queueDepth(),
                gaps.reported(),
                m.failovers.get(),
                sampler.staleTickers(),
                list,
                uncovered,
                refused);
    }

    /** The tickers a connection owns (not those it mirrors or is moving away), in order. */
    static List<String> owned(ManagerState m, ManagedConnection c) {
        List<String> out = new ArrayList<>(c.ledger.size());
        for (String sym : c.ledger.desired()) {
            TickerEntry e = m.tickers.get(sym);
            if (e != null && e.owner == c) {
                out.add(sym);
            }
        }
        return out;
    }

    /** Owned tickers per connection, in definition order. */
    static Map<String, Integer> counts(ManagerState m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ManagedConnection c : m.connections.values()) {
            out.put(c.id, owned(m, c).size());
        }
        return out;
    }

    /** Event lag percentiles of a connection: p50, p99, max in milliseconds. */
    Optional<double[]> lag(String id) {
        ManagedConnection c;
        synchronized (m.lock) {
            c = m.connections.get(id);
        }
        if (c == null || c.lag == null || c.lag.count() == 0) {
            return Optional.empty();
        }
        HistogramSnapshot snap = c.lag.takeSnapshot();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (ValueAtPercentile v : snap.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value();
            } else if (v.percentile() == 0.99) {
                p99 = v.value();
            }
        }
        return Optional.of(new double[] {p50, p99, snap.max()});
    }

    /** A consistent copy of the control state. */
    ManagerSnapshot snapshot(SocketBudget budget) {
        synchronized (m.lock) {
            Map<String, ManagerSnapshot.Connection> cs = new LinkedHashMap<>();
            for (ManagedConnection c : m.connections.values()) {
                cs.put(c.id, c.ledger.snapshot(c.state, c.socketHeld));
            }
            Map<String, ManagerSnapshot.Ticker> ts = new LinkedHashMap<>();
            for (TickerEntry e : m.tickers.values()) {
                ts.put(
                        e.symbol,
                        new ManagerSnapshot.Ticker(
                                idOf(e.owner),
                                idOf(e.secondary),
                                idOf(e.moveFrom),
                                idOf(e.home),
                                e.critical,
                                e.gapStartMillis >= 0,
                                e.refusedOn));
            }
            return new ManagerSnapshot(cs, ts, budget.held(), budget.max(), m.retiring.size());
        }
    }

    private static String idOf(ManagedConnection c) {
        return c == null ? null : c.id;
    }
}
