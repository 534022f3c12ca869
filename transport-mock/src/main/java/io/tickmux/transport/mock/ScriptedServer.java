package io.tickmux.transport.mock;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.internal.ConnectPolicy;
import io.tickmux.transport.mock.internal.Disconnect;
import io.tickmux.transport.mock.internal.SubscriptionBook;
import io.tickmux.transport.mock.internal.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The server end of one mock connection, which a test scripts: it sends events, status messages and
 * errors, drops, closes or evicts the socket, refuses connects, authentication and subscriptions,
 * and holds, reorders or times out acks. Get it from {@link MockConnection#server()}.
 *
 * <p>Like the real server, it delivers events only for symbols it holds a subscription for (or
 * {@code *}); others are counted in {@link RecordedTraffic#skippedUnsubscribed()}. Scripted actions
 * run on the connection's wire thread in the order scripted; {@link #flush} waits for them.
 *
 * <p>Faults can be healed: {@link #allowAuth()} after {@link #rejectAuth()}, {@link
 * #acceptConnects()} after {@link #refuseNextConnects}, {@link #unrejectSubscription} after {@link
 * #rejectSubscription}, {@code dropUnsubscribeAcks(false)}, {@code mute(false)}, {@code
 * autoAck(true)} and {@link #ackPending()}. Thread-safe.
 */
public final class ScriptedServer {

    private final MockSocket socket;
    private final SubscriptionBook book;
    private final ConnectPolicy policy;
    private final Wire wire;
    private final RecordedTraffic recorded;
    private final TransportListener listener;

    // guarded by socket
    private boolean muted;

    ScriptedServer(
            MockSocket socket,
            SubscriptionBook book,
            ConnectPolicy policy,
            Wire wire,
            RecordedTraffic recorded,
            TransportListener listener) {
        this.socket = socket;
        this.book = book;
        this.policy = policy;
        this.wire = wire;
        this.recorded = recorded;
        this.listener = listener;
    }

    // ------------------------------------------------------------ sending

    /**
     * Sends one frame of events, in order. Events for symbols the server holds no subscription for
     * are skipped, as the real server would never send them.
     *
     * @param events the events
     * @throws IllegalStateException when the connection is not open
     */
    public void emit(MarketEvent... events) {
        emit(List.of(events));
    }

    /**
     * Sends one frame of events, in order, as {@link #emit(MarketEvent...)} does.
     *
     * @param events the events
     * @throws IllegalStateException when the connection is not open
     */
    public void emit(List<? extends MarketEvent> events) {
        socket.requireOpen();
        List<MarketEvent> frame = List.copyOf(events);
        wire.enqueue(() -> send(frame));
    }

    /**
     * The server sends a status message.
     *
     * @param status the status word
     * @param message the message
     */
    public void sendStatus(String status, String message) {
        wire.enqueue(() -> listener.onServerStatus(status, message));
    }

    /**
     * The transport reports a non-fatal error, as for a malformed frame.
     *
     * @param kind category, e.g. {@code malformed-frame}
     * @param detail description
     */
    public void sendError(String kind, String detail) {
        wire.enqueue(() -> listener.onError(kind, detail));
    }

    /**
     * While muted the socket stays open but the server sends nothing; scripted events are counted
     * in {@link RecordedTraffic#mutedEvents()} and discarded.
     *
     * @param on whether to mute
     */
    public void mute(boolean on) {
        synchronized (socket) {
            muted = on;
        }
    }

    // ------------------------------------------------------------ ending the socket

    /** The server aborts the socket: no close frame (1006). The host should reconnect. */
    public void drop() {
        ends(new Disconnect(DisconnectReason.ABORT, 1006, "connection reset by mock server"));
    }

    /**
     * The server closes with a close code: 1000 and 1001 are clean, 1008 is policy, anything else
     * counts as an abort.
     *
     * @param code the close code
     * @param reason the close reason
     */
    public void closeFromServer(int code, String reason) {
        ends(Disconnect.closedByServer(code, reason));
    }

    /**
     * The server evicts the connection for exceeding the account's connection limit: a {@code
     * max_connections} status, then a 1008 close.
     */
    public void evict() {
        wire.enqueue(
                () -> {
                    if (socket.isOpen()) {
                        listener.onServerStatus(
                                "max_connections",
                                "Maximum number of websocket connections exceeded.");
                    }
                    socket.endIfActive(
                            new Disconnect(
                                    DisconnectReason.EVICTED,
                                    1008,
                                    "max_connections: evicted by mock"));
                });
    }

    // ------------------------------------------------------------ connects

    /**
     * The next {@code count} connect attempts fail with the given reason (e.g. {@link
     * DisconnectReason#CONNECT_FAILED}).
     *
     * @param count how many attempts
     * @param reason the failure reported
     */
    public void refuseNextConnects(int count, DisconnectReason reason) {
        synchronized (socket) {
            policy.refuseNext(count, reason);
        }
    }

    /** Forgets the connect failures still queued by {@link #refuseNextConnects}. */
    public void acceptConnects() {
        synchronized (socket) {
            policy.acceptConnects();
        }
    }

    /** Every connect attempt from now on fails authentication ({@code auth_failed}). */
    public void rejectAuth() {
        synchronized (socket) {
            policy.rejectAuth();
        }
    }

    /** Connect attempts authenticate again, as before {@link #rejectAuth()}. */
    public void allowAuth() {
        synchronized (socket) {
            policy.allowAuth();
        }
    }

    // ------------------------------------------------------------ subscriptions and acks

    /**
     * The server refuses subscriptions of a symbol (e.g. {@code not authorized}).
     *
     * @param symbol the ticker
     * @param reason the server's words
     */
    public void rejectSubscription(String symbol, String reason) {
        synchronized (socket) {
            book.reject(symbol, reason);
        }
    }

    /**
     * Subscriptions of a symbol are accepted again, as before {@link #rejectSubscription}. A
     * rejection made for the whole transport ({@link MockTransport#rejectSubscription}) still
     * applies. Symbols already refused stay refused until the host subscribes them again.
     *
     * @param symbol the ticker
     */
    public void unrejectSubscription(String symbol) {
        synchronized (socket) {
            book.unreject(symbol);
        }
    }

    /**
     * Lifts every {@link #rejectSubscription} made on this connection.
     *
     * @return the symbols that were rejected
     */
    public Set<String> unrejectAllSubscriptions() {
        synchronized (socket) {
            return book.unrejectAll();
        }
    }

    /**
     * Whether subscriptions are acknowledged at once.
     *
     * @param on the new setting
     */
    public void autoAck(boolean on) {
        synchronized (socket) {
            book.autoAck(on);
        }
    }

    /**
     * While on, the server carries out every unsubscribe but never acknowledges it, so the host's
     * own unsubscribe-ack timeout is what ends the wait. Subscribe acks are not affected.
     *
     * @param on the new setting
     */
    public void dropUnsubscribeAcks(boolean on) {
        synchronized (socket) {
            book.dropUnsubscribeAcks(on);
        }
    }

    /** Acknowledges every subscription not yet acknowledged, in the order they were sent. */
    public void ackPending() {
        ackPending(null, Integer.MAX_VALUE);
    }

    /**
     * Acknowledges every subscription not yet acknowledged, in a random order: acks that overtake
     * each other. The order is drawn from a seed taken from {@code random} on the calling thread,
     * so a seeded test replays it (given the same unacknowledged set).
     *
     * @param random where the order comes from
     */
    public void ackPendingShuffled(Random random) {
        ackPendingShuffled(random, Integer.MAX_VALUE);
    }

    /**
     * Acknowledges at most {@code max} of the subscriptions not yet acknowledged, chosen and
     * ordered at random; the others stay unacknowledged. Models acks that arrive late and out of
     * order. The order is drawn from a seed taken from {@code random} on the calling thread, so a
     * seeded test replays it (given the same unacknowledged set).
     *
     * @param random where the choice comes from (read on the calling thread)
     * @param max how many to acknowledge at most
     */
    public void ackPendingShuffled(Random random, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max is negative: " + max);
        }
        ackPending(new Random(random.nextLong()), max);
    }

    /**
     * The host's ack timer fires for every subscription not yet acknowledged: the server forgets
     * them (as the real one drops a topic it does not know) and the host hears {@link
     * TransportListener#onAckTimeout} for each, in the order they were sent.
     */
    public void timeOutPendingAcks() {
        wire.enqueue(
                () -> {
                    List<String> late;
                    synchronized (socket) {
                        if (!socket.isOpen()) {
                            return;
                        }
                        late = book.forgetUnacked();
                    }
                    for (String s : late) {
                        listener.onAckTimeout(
                                s,
                                "not acknowledged within the ack timeout (timed out by the mock)");
                    }
                });
    }

    // ------------------------------------------------------------ inspection

    /**
     * @return whether the socket is open (connected and authenticated)
     */
    public boolean isOpen() {
        return socket.isOpen();
    }

    /**
     * @return the symbols the server holds a subscription for now
     */
    public Set<String> serverSubscriptions() {
        synchronized (socket) {
            return book.subscriptions();
        }
    }

    /**
     * @return the subscriptions the server holds but has not acknowledged yet (acks held by {@code
     *     autoAck(false)})
     */
    public Set<String> unackedSubscriptions() {
        synchronized (socket) {
            return book.unacked();
        }
    }

    /**
     * Waits until the wire thread has run everything queued before this call, or has stopped (the
     * host closed the connection).
     *
     * @param timeout how long to wait
     * @throws AssertionError when it does not finish in time
     */
    public void flush(Duration timeout) {
        wire.flush(timeout);
    }

    // ------------------------------------------------------------ on the wire thread

    private void send(List<MarketEvent> frame) {
        List<MarketEvent> out = new ArrayList<>(frame.size());
        synchronized (socket) {
            if (!socket.isOpen()) {
                return;
            }
            if (muted) {
                recorded.recordMuted(frame.size());
                return;
            }
            for (MarketEvent e : frame) {
                if (book.sends(e.symbol())) {
                    out.add(e);
                } else {
                    recorded.recordSkipped();
                }
            }
            recorded.recordDelivered(out);
        }
        if (!out.isEmpty()) {
            listener.onEvents(out);
        }
    }

    private void ackPending(Random order, int max) {
        wire.enqueue(
                () -> {
                    List<String> acks;
                    synchronized (socket) {
                        if (!socket.isOpen()) {
                            return;
                        }
                        acks = book.takeUnacked(order, max);
                    }
                    for (String s : acks) {
                        listener.onAck(s, true);
                    }
                });
    }

    private void ends(Disconnect how) {
        wire.enqueue(() -> socket.endIfActive(how));
    }
}
