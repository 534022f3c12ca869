package io.tickmux.transport.replay.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.replay.internal.ReplayConnection.State;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays each recorded entry to the connection of its id, as the server and the socket would:
 *
 * <ul>
 *   <li>events only while the connection is connected and only for the tickers the manager has
 *       subscribed on it; the others are counted as filtered;
 *   <li>an answer (connected, an ack, a refusal, an ack timeout, a failed connect) once the manager
 *       has asked for it, through the stage's gate; an answer the manager did not ask for in time
 *       is skipped and counted;
 *   <li>a lost connection, server status and errors to a connection that is up (or connecting); a
 *       disconnect the recorded manager caused is not played;
 *   <li>a state entry (a file that begins mid-recording) connects the connection and acknowledges
 *       what it held.
 * </ul>
 *
 * <p>Not thread-safe: the replay thread's.
 */
final class EntryDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPlayer.class);

    private final ReplayStage stage;
    private final RecordedConnections recorded = new RecordedConnections();
    private final List<MarketEvent> chunk = new ArrayList<>();
    private long delivered;
    private long filtered;
    private long recordedDrops;
    private long skipped;

    /**
     * @param stage the connections
     */
    EntryDispatcher(ReplayStage stage) {
        this.stage = stage;
    }

    /**
     * A call the recorded manager made: not played, noted for the disconnects that follow.
     *
     * @param c the command
     */
    void command(Entry.Command c) {
        recorded.command(c);
    }

    /**
     * The recorder's note of entries it dropped: counted and logged.
     *
     * @param d the note
     */
    void dropped(Entry.Dropped d) {
        recordedDrops += d.count();
        LOG.warn(
                "replay: the recorder dropped {} entries here (its buffer was full):"
                        + " the recording has a hole",
                d.count());
    }

    /**
     * Plays an entry, waiting at a gate when it answers the manager.
     *
     * @param e what the recorded transport reported
     * @throws InterruptedException when the thread is interrupted
     */
    void play(Entry e) throws InterruptedException {
        String id = e.connectionId();
        if (e instanceof Entry.Events ev) {
            deliver(id, ev.events());
        } else if (e instanceof Entry.Connected) {
            recorded.connected(id);
            connect(id);
        } else if (e instanceof Entry.Disconnected d) {
            disconnect(d);
        } else if (e instanceof Entry.Ack a) {
            ReplayConnection c =
                    a.subscribed()
                            ? gate(id, x -> x.subscribedOn(a.symbol()), "ack of " + a.symbol())
                            : gate(
                                    id,
                                    x -> x.unsubscribingFrom(a.symbol()),
                                    "unsubscribe ack of " + a.symbol());
            if (c != null) {
                c.ack(a.symbol(), a.subscribed());
            }
        } else if (e instanceof Entry.Rejected r) {
            ReplayConnection c =
                    gate(id, x -> x.subscribedOn(r.symbol()), "refusal of " + r.symbol());
            if (c != null) {
                c.refused(r.symbol(), r.reason());
            }
        } else if (e instanceof Entry.AckTimeout r) {
            ReplayConnection c =
                    gate(id, x -> x.subscribedOn(r.symbol()), "ack timeout of " + r.symbol());
            if (c != null) {
                c.ackTimedOut(r.symbol(), r.detail());
            }
        } else if (e instanceof Entry.ServerStatus s) {
            ReplayConnection c = up(id);
            if (c != null) {
                c.serverStatus(s.status(), s.message());
            }
        } else if (e instanceof Entry.Error x) {
            ReplayConnection c = up(id);
            if (c != null) {
                c.error(x.kind(), x.detail());
            }
        } else if (e instanceof Entry.State s) {
            if (recorded.resumes(s) && connect(id)) {
                for (String sym : new LinkedHashSet<>(s.acked())) {
                    ReplayConnection c = gate(id, x -> x.subscribedOn(sym), "ack of " + sym);
                    if (c != null) {
                        c.ack(sym, true);
                    }
                }
            }
        }
    }

    /**
     * @return events delivered to the manager
     */
    long delivered() {
        return delivered;
    }

    /**
     * @return events not delivered: the connection was down or had not subscribed the ticker
     */
    long filtered() {
        return filtered;
    }

    /**
     * @return entries the recorder had dropped, by its notes
     */
    long recordedDrops() {
        return recordedDrops;
    }

    /**
     * @return recorded answers skipped: the manager did not ask for them in time
     */
    long skipped() {
        return skipped;
    }

    private void deliver(String id, List<MarketEvent> events) {
        ReplayConnection conn = stage.find(id, State.CONNECTED);
        if (conn == null) {
            filtered += events.size();
            return;
        }
        chunk.clear();
        conn.takeSubscribed(events, chunk);
        filtered += events.size() - chunk.size();
        if (!chunk.isEmpty()) {
            delivered += chunk.size();
            conn.events(chunk);
        }
    }

    private void disconnect(Entry.Disconnected d) throws InterruptedException {
        String id = d.connectionId();
        ReplayConnection c =
                switch (recorded.disconnected(d)) {
                    case NOT_PLAYED -> null;
                    case FAILED_CONNECT -> gate(id, x -> x.is(State.CONNECTING), "failed connect");
                    case LOST -> stage.find(id, State.CONNECTED);
                };
        if (c != null) {
            c.lost(d.reason(), d.closeCode(), d.detail());
        }
    }

    /**
     * A recorded {@code connected}: the connection is connected once the manager connects it.
     *
     * @return whether it is connected
     */
    private boolean connect(String id) throws InterruptedException {
        if (stage.find(id, State.CONNECTED) != null) {
            return true;
        }
        ReplayConnection c = gate(id, x -> x.is(State.CONNECTING), "connected");
        return c != null && c.connectNow();
    }

    /** The connection when it is connected or connecting, else {@code null}. */
    private ReplayConnection up(String id) {
        ReplayConnection c = stage.find(id, State.CONNECTED);
        return c != null ? c : stage.find(id, State.CONNECTING);
    }

    private ReplayConnection gate(String id, Predicate<ReplayConnection> ready, String what)
            throws InterruptedException {
        ReplayConnection c = stage.gate(id, ready, what);
        if (c == null) {
            skipped++;
        }
        return c;
    }
}
