package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.event.StatusEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where each wanted ticker lives: its owner, the secondary of a critical ticker, the source of a
 * make-before-break move and the home of a failed-over ticker. Every change of placement goes
 * through here and keeps each connection's desired set in step; the connections whose desired set
 * changed are marked dirty for {@link Lifecycle#flush()}. Under the manager's lock.
 *
 * <p>Invariants (checked by {@link Invariants} as L5 and T1 to T4):
 *
 * <ul>
 *   <li>a connection desires a ticker exactly when it is that ticker's owner, secondary or move
 *       source;
 *   <li>owner, secondary and move source are distinct known connections;
 *   <li>only a critical ticker has a secondary; a home is never the owner;
 *   <li>while a ticker has a secondary or a move source, its dedup filter is on.
 * </ul>
 */
final class TickerBook {

    private final ManagerState m;
    private final GapTracker gaps;
    private final Ingress ingress;
    private final Dispatcher dispatcher;
    private final Set<ManagedConnection> dirty = new LinkedHashSet<>();
    private final Set<TickerEntry> touched = new LinkedHashSet<>();

    TickerBook(ManagerState m, GapTracker gaps, Ingress ingress, Dispatcher dispatcher) {
        this.m = m;
        this.gaps = gaps;
        this.ingress = ingress;
        this.dispatcher = dispatcher;
    }

    TickerEntry get(String symbol) {
        return m.tickers.get(symbol);
    }

    /** Tickers whose placement or acknowledgement changed since the last call; then emptied. */
    List<TickerEntry> takeTouched() {
        List<TickerEntry> out = new ArrayList<>(touched);
        touched.clear();
        return out;
    }

    /** Marks a ticker for the next coverage sweep ({@link GapTracker#sweep}). */
    void touch(TickerEntry e) {
        if (e != null) {
            touched.add(e);
        }
    }

    /** Gives a ticker a new owner; a home that is now the owner is no home (invariant T4). */
    private void setOwner(TickerEntry e, ManagedConnection c) {
        e.owner = c;
        if (e.home == c) {
            e.home = null;
        }
        touched.add(e);
    }

    /** Connections whose desired set changed since the last call; the set is then emptied. */
    List<ManagedConnection> takeDirty() {
        List<ManagedConnection> out = new ArrayList<>(dirty);
        dirty.clear();
        return out;
    }

    // ------------------------------------------------ adding and removing

    /** Adds a wanted ticker on a connection (and a secondary if it is critical). */
    TickerEntry add(TickerView view, ManagedConnection target, boolean critical) {
        TickerEntry e = new TickerEntry(view, target, m.halfLifeNanos);
        e.lastEventMillis = m.clock.millis();
        e.critical = critical;
        m.tickers.put(e.symbol, e);
        if (critical) {
            m.critical.add(e);
        }
        want(target, e.symbol);
        if (e.symbol.equals("*")) {
            ingress.wildcard = true;
        }
        if (critical) {
            addSecondary(e, false);
        }
        return e;
    }

    /** Removes a wanted ticker from every connection that carries it; its open gap is reported. */
    void remove(TickerEntry e) {
        m.tickers.remove(e.symbol);
        m.critical.remove(e);
        release(e.owner, e.symbol);
        if (e.secondary != null) {
            release(e.secondary, e.symbol);
            e.secondary = null;
        }
        if (e.moveFrom != null) {
            release(e.moveFrom, e.symbol);
            e.moveFrom = null;
        }
        e.home = null;
        gaps.close(e, "unsubscribed");
        dispatcher.forget(e.symbol);
        if (e.symbol.equals("*")) {
            ingress.wildcard = false;
        }
    }

    // ------------------------------------------------ choosing a connection

    /**
     * The router's choice for a new ticker. Once started, a choice that is down (lost its socket,
     * see {@link #isDown}) while another connection is connected gives way to the router's choice
     * among the connected ones, so new tickers do not pile onto a connection that is down; the
     * first choice becomes the ticker's home, to return to when it is back.
     *
     * @return the connection and, when it is not the router's first choice, that choice as home
     */
    Optional<Choice> select(TickerView view) {
        Optional<ManagedConnection> first = validated(view, m.views());
        if (first.isEmpty() || !m.started || !isDown(first.get()) || !m.anyConnected()) {
            return first.map(c -> new Choice(c, null));
        }
        List<ConnectionView> up = new ArrayList<>();
        for (ManagedConnection c : m.connections.values()) {
            if (c.state == ConnectionState.CONNECTED) {
                up.add(c.view());
            }
        }
        Optional<ManagedConnection> live = validated(view, up);
        return Optional.of(
                live.isPresent()
                        ? new Choice(live.get(), first.get())
                        : new Choice(first.get(), null));
    }

    /**
     * Whether a connection lost its socket and is waiting to get it back (reconnecting, in a
     * cooldown, or connecting again after a loss); a first connect is not "down". A connect after
     * an eviction's cooldown is a reconnect although the eviction left the attempt count alone.
     */
    private static boolean isDown(ManagedConnection c) {
        return switch (c.state) {
            case RECONNECTING, COOLDOWN -> true;
            case CONNECTING -> c.attempt > 0 || c.hadSession;
            default -> false;
        };
    }

    /** A connection chosen for a new ticker, and the home it should return to, if any. */
    record Choice(ManagedConnection target, ManagedConnection home) {}

    private Optional<ManagedConnection> validated(TickerView view, List<ConnectionView> views) {
        Optional<String> id = m.router.select(view, views);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        ManagedConnection c = m.connections.get(id.get());
        if (c == null || !c.hasRoom()) {
            ManagerState.LOG.error(
                    "router {} selected '{}' for {}, which is unknown, down or full; treating as"
                            + " no choice",
                    m.router.getClass().getName(),
                    id.get(),
                    view.symbol());
            return Optional.empty();
        }
        return Optional.of(c);
    }

    // ------------------------------------------------ moves

    /**
     * Moves a ticker's ownership to a connection (the caller checked capacity). A live ticker
     * (acknowledged on a connected owner) moving to a connected target moves make-before-break when
     * configured: it stays on the source until the target acknowledges, and the dedup filter
     * delivers the first copy meanwhile. Any other move of a covered ticker opens a gap, reported
     * when the target acknowledges. Moving onto the ticker's own secondary swaps the two roles
     * (during a move, the move's source becomes the secondary and the unacknowledged owner lets
     * go); moving back onto a move's source cancels the move.
     *
     * @return whether anything changed
     */
    boolean move(TickerEntry e, ManagedConnection target, String cause) {
        ManagedConnection from = e.owner;
        String sym = e.symbol;
        if (target == from) {
            return false;
        }
        e.home = null;
        if (target == e.secondary && e.moveFrom != null) {
            // During a move the source still streams and the owner has not acknowledged: the
            // source stays on as the secondary, the unacknowledged owner lets go. Left as move
            // source it would stay for good: only the owner's ack ends a move, and the new
            // owner's ack, as the secondary, may have come long before.
            e.secondary = e.moveFrom;
            e.moveFrom = null;
            release(from, sym);
            setOwner(e, target);
            return true;
        }
        if (target == e.secondary) {
            e.secondary = from; // both already carry it: swap roles, nothing on the wire
            setOwner(e, target);
            return true;
        }
        if (target == e.moveFrom) {
            e.moveFrom = null; // back where it is still acknowledged: cancel the move
            release(from, sym);
            setOwner(e, target);
            releaseDedupLater(e);
            return true;
        }
        boolean targetUp = target.state == ConnectionState.CONNECTED;
        if (m.settings.makeBeforeBreak() && targetUp) {
            if (e.moveFrom != null) {
                // A move in progress: its source still streams; the unacknowledged owner yields.
                release(from, sym);
                setOwner(e, target);
                want(target, sym);
                return true;
            }
            if (covers(from, sym)) {
                e.dedup = new Dedup(m.settings.dedupCapacity());
                e.moveFrom = from;
                setOwner(e, target);
                want(target, sym);
                return true;
            }
        }
        boolean covered = covers(from, sym) || (e.moveFrom != null && covers(e.moveFrom, sym));
        String lostOn = e.moveFrom != null && covers(e.moveFrom, sym) ? e.moveFrom.id : from.id;
        if (e.moveFrom != null) {
            release(e.moveFrom, sym);
            e.moveFrom = null;
        }
        release(from, sym);
        setOwner(e, target);
        want(target, sym);
        if (covered) {
            gaps.open(
                    e,
                    m.clock.millis(),
                    lostOn,
                    cause
                            + (m.settings.makeBeforeBreak()
                                    ? ": moved onto "
                                            + target.id
                                            + ", which is "
                                            + kebab(target.state)
                                    : ": moved to "
                                            + target.id
                                            + " without overlap (moves.make-before-break ="
                                            + " false)"));
        }
        return true;
    }

    /** The owner acknowledged a make-before-break move: let go of the source. */
    void completeMove(TickerEntry e) {
        ManagedConnection from = e.moveFrom;
        if (from == null) {
            return;
        }
        e.moveFrom = null;
        release(from, e.symbol);
        releaseDedupLater(e);
    }

    /**
     * A move's target refused the ticker or was lost before it acknowledged: back to the source.
     */
    void revertMove(TickerEntry e) {
        ManagedConnection back = e.moveFrom;
        if (back == null) {
            return;
        }
        e.moveFrom = null;
        release(e.owner, e.symbol);
        setOwner(e, back);
        releaseDedupLater(e);
    }

    // ------------------------------------------------ critical tickers

    /**
     * Holds a critical ticker on a second connection, chosen by the router among the others that
     * have room and did not refuse it; logged (unless quiet) when none can take it: it is tried
     * again at every flush.
     */
    void addSecondary(TickerEntry e, boolean quiet) {
        if (e.secondary != null) {
            return;
        }
        List<ConnectionView> others = new ArrayList<>();
        for (ManagedConnection c : m.connections.values()) {
            if (c != e.owner && c != e.moveFrom && c.hasRoom() && !e.refusedOn.contains(c.id)) {
                others.add(c.view());
            }
        }
        ManagedConnection second =
                others.isEmpty()
                        ? null
                        : m.router.select(e.view, others).map(m.connections::get).orElse(null);
        if (second == null || second == e.owner || second == e.moveFrom || !second.hasRoom()) {
            if (quiet) {
                return;
            }
            ManagerState.LOG.warn(
                    "critical ticker {} is on {} only: no second connection can take it now",
                    e.symbol,
                    e.owner.id);
            return;
        }
        e.secondary = second;
        touched.add(e);
        e.dedup = new Dedup(m.settings.dedupCapacity());
        want(second, e.symbol);
    }

    /** Makes a ticker critical (held on a second connection when one has room) or ordinary. */
    void setCritical(TickerEntry e, boolean critical) {
        e.critical = critical;
        if (critical) {
            m.critical.add(e);
            addSecondary(e, false);
        } else {
            m.critical.remove(e);
            e.refusedOn.clear();
            if (e.secondary != null
                    && covers(e.secondary, e.symbol)
                    && !covers(e.owner, e.symbol)
                    && e.moveFrom == null) {
                // Keep the copy that streams: it becomes the owner, the other one goes.
                ManagedConnection streaming = e.secondary;
                e.secondary = e.owner;
                setOwner(e, streaming);
            }
            dropSecondary(e);
        }
    }

    /** Lets go of a critical ticker's second connection. */
    void dropSecondary(TickerEntry e) {
        ManagedConnection second = e.secondary;
        if (second == null) {
            return;
        }
        e.secondary = null;
        release(second, e.symbol);
        touched.add(e);
        releaseDedupLater(e);
    }

    // ------------------------------------------------ losing a connection

    /**
     * A connection's socket was lost (its ledger is reset next). Moves leaving it lose their
     * source; moves onto it go back to their source; a critical ticker whose other copy streams
     * carries on there; every other ticker it covered gets a gap from {@code fromMillis}.
     */
    void socketLost(ManagedConnection c, long fromMillis, String why) {
        for (String sym : new ArrayList<>(c.ledger.desired())) {
            TickerEntry e = m.tickers.get(sym);
            if (e == null) {
                release(c, sym); // not wanted (cannot happen while L5 holds)
                continue;
            }
            boolean covered = c.ledger.isAcked(sym);
            touched.add(e);
            if (e.moveFrom == c) {
                e.moveFrom = null;
                release(c, sym);
                releaseDedupLater(e);
                if (covered && !covers(e.owner, sym)) {
                    gaps.open(e, fromMillis, c.id, why);
                }
            } else if (e.owner == c && e.moveFrom != null) {
                revertMove(e);
            } else {
                ManagedConnection other = e.owner == c ? e.secondary : e.owner;
                if (other != null && covers(other, sym)) {
                    if (e.owner == c) {
                        setOwner(e, other); // its other copy streams on; this one re-subscribes
                        e.secondary = c;
                    }
                } else if (covered) {
                    gaps.open(e, fromMillis, c.id, why);
                }
            }
        }
    }

    /**
     * A connection is removed: every pointer to it goes. Moves from it complete, moves onto it go
     * back, a critical ticker's other copy takes over; the rest are returned as orphans for the
     * caller to re-home (gaps opened for those it covered).
     */
    List<TickerEntry> connectionRemoved(ManagedConnection c, String why) {
        List<TickerEntry> orphans = new ArrayList<>();
        long now = m.clock.millis();
        for (String sym : new ArrayList<>(c.ledger.desired())) {
            TickerEntry e = m.tickers.get(sym);
            if (e == null) {
                c.ledger.release(sym); // not wanted (cannot happen while L5 holds)
                continue;
            }
            boolean covered = covers(c, sym);
            touched.add(e);
            if (e.moveFrom == c) {
                e.moveFrom = null;
                releaseDedupLater(e);
                if (covered && !covers(e.owner, sym)) {
                    gaps.open(e, now, c.id, why);
                }
            } else if (e.owner == c && e.moveFrom != null) {
                revertMove(e);
            } else if (e.secondary == c) {
                e.secondary = null;
                touched.add(e);
                releaseDedupLater(e);
            } else if (e.secondary != null) {
                setOwner(e, e.secondary);
                e.secondary = null;
                releaseDedupLater(e);
            } else {
                orphans.add(e);
                if (covered) {
                    gaps.open(e, now, c.id, why);
                }
            }
            c.ledger.release(sym);
        }
        for (TickerEntry e : m.tickers.values()) {
            if (e.home == c) {
                e.home = null;
            }
        }
        dirty.remove(c);
        return orphans;
    }

    // ------------------------------------------------ helpers

    /** Whether a connection streams a ticker now: connected and acknowledged. */
    static boolean covers(ManagedConnection c, String sym) {
        return c != null && c.state == ConnectionState.CONNECTED && c.ledger.isAcked(sym);
    }

    private void want(ManagedConnection c, String sym) {
        c.ledger.want(sym);
        dirty.add(c);
        touch(m.tickers.get(sym));
    }

    private void release(ManagedConnection c, String sym) {
        c.ledger.release(sym);
        dirty.add(c);
        touch(m.tickers.get(sym));
    }

    /**
     * Once a ticker is back on one socket, drops its dedup filter after the dedup window (the
     * copies still in flight on the socket it left) and restarts its repeat filter, unless it went
     * onto two sockets again meanwhile.
     */
    void releaseDedupLater(TickerEntry e) {
        Dedup d = e.dedup;
        if (d == null) {
            return;
        }
        m.scheduler.schedule(
                () -> {
                    synchronized (m.lock) {
                        if (e.dedup == d && e.moveFrom == null && e.secondary == null) {
                            e.dedup = null;
                            e.resetSequences();
                        }
                    }
                },
                m.settings.dedupWindow().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Publishes one {@link StatusEvent.TickersMoved} per source and target. */
    void publishMoved(Map<String, Map<String, List<String>>> grouped, String cause) {
        for (var g : grouped.entrySet()) {
            for (var t : g.getValue().entrySet()) {
                m.publish(
                        new StatusEvent.TickersMoved(
                                g.getKey(), t.getKey(), t.getValue(), cause, m.now()));
            }
        }
    }
}
