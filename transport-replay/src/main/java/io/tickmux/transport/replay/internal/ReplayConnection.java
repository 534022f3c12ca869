package io.tickmux.transport.replay.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One replayed connection, in two halves.
 *
 * <p>The manager's half ({@link TransportConnection}) is answered as a server would: {@code
 * connect()} waits for the recording to connect it (or is connected at once after the end); a
 * subscription the recording never answers, and every one after the end, is acknowledged at once;
 * {@code abort()} and {@code close()} are reported at once. Answers are queued on the {@link
 * ReplayStage} for the replay thread; the manager's thread never calls the listener.
 *
 * <p>The replay thread's half plays the recording's calls to the listener ({@link #connectNow},
 * {@link #ack}, {@link #refused}, ...): each changes the state under the stage's lock, then calls
 * the listener outside it, a listener failure logged and the replay going on.
 *
 * <p>State is guarded by the stage's lock; the methods that say so are called with it held.
 */
final class ReplayConnection implements TransportConnection {

    /** Where the connection is, as the manager sees it. */
    enum State {
        /** Not connected: new, or after an abort or a recorded disconnect. */
        IDLE,
        /** {@code connect()} called; waiting for the recording's {@code connected}. */
        CONNECTING,
        /** Connected: events and answers reach the listener. */
        CONNECTED,
        /** {@code close()} called: final. */
        CLOSED
    }

    private final ReplayStage stage;
    private final String id;
    private final TransportListener listener;

    // guarded by the stage's lock
    private State state = State.IDLE;

    /** Subscribed by the manager (until its unsubscribe is acknowledged). */
    private final Set<String> subscribed = new HashSet<>();

    private final Set<String> acked = new HashSet<>();
    private final Set<String> unsubscribing = new HashSet<>();

    ReplayConnection(ReplayStage stage, String id, TransportListener listener) {
        this.stage = stage;
        this.id = id;
        this.listener = listener;
    }

    // ------------------------------------------------ the manager's calls

    @Override
    public void connect() {
        stage.lock();
        try {
            if (state == State.CLOSED) {
                throw new IllegalStateException("replay connection " + id + " is closed");
            }
            if (state != State.IDLE) {
                throw new IllegalStateException(
                        "replay connection " + id + " is already open or connecting");
            }
            state = State.CONNECTING;
            if (stage.ended()) {
                stage.later(this::connectNow);
            }
            stage.startOnce();
            stage.signal();
        } finally {
            stage.unlock();
        }
    }

    @Override
    public void subscribe(Collection<String> symbols) {
        stage.lock();
        try {
            if (state != State.CONNECTED) {
                return; // the host sends the whole set again on reconnect
            }
            RecordedAnswers answers = stage.answers();
            for (String s : symbols) {
                subscribed.add(s);
                unsubscribing.remove(s);
                if (stage.ended() || !answers.answersSubscribe(id, s)) {
                    stage.later(() -> ack(s, true));
                }
            }
            stage.signal();
        } finally {
            stage.unlock();
        }
    }

    @Override
    public void unsubscribe(Collection<String> symbols) {
        stage.lock();
        try {
            if (state != State.CONNECTED) {
                return;
            }
            RecordedAnswers answers = stage.answers();
            for (String s : symbols) {
                unsubscribing.add(s);
                if (stage.ended() || !answers.answersUnsubscribe(id, s)) {
                    stage.later(() -> ack(s, false));
                }
            }
            stage.signal();
        } finally {
            stage.unlock();
        }
    }

    @Override
    public void abort() {
        end(DisconnectReason.ABORT, 1006, "aborted by client (replay)", State.IDLE);
    }

    @Override
    public void close() {
        end(DisconnectReason.CLOSED_BY_CLIENT, 1000, "closed by client", State.CLOSED);
    }

    private void end(DisconnectReason reason, int code, String detail, State next) {
        stage.lock();
        try {
            State was = state;
            if (was == State.CLOSED) {
                return;
            }
            state = next;
            clear();
            if (was != State.IDLE) {
                stage.later(() -> listener.onDisconnected(reason, code, detail));
            }
            stage.signal();
        } finally {
            stage.unlock();
        }
    }

    // ------------------------------------------------ what the stage reads (lock held)

    /**
     * @param s a state
     * @return whether the connection is in it; the stage's lock held
     */
    boolean is(State s) {
        return state == s;
    }

    /**
     * @param symbol a ticker
     * @return whether it is connected and the manager has subscribed the ticker; lock held
     */
    boolean subscribedOn(String symbol) {
        return state == State.CONNECTED && subscribed.contains(symbol);
    }

    /**
     * @param symbol a ticker
     * @return whether it is connected and the manager is unsubscribing the ticker; lock held
     */
    boolean unsubscribingFrom(String symbol) {
        return state == State.CONNECTED && unsubscribing.contains(symbol);
    }

    /**
     * @return the subscribed tickers not acknowledged yet; lock held
     */
    List<String> unacknowledged() {
        List<String> out = new ArrayList<>();
        for (String s : subscribed) {
            if (!acked.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    // ------------------------------------------------ the recording's calls (replay thread)

    /**
     * Connects a connecting connection and tells the listener.
     *
     * @return whether it was connecting (and is now connected)
     */
    boolean connectNow() {
        stage.lock();
        try {
            if (state != State.CONNECTING) {
                return false;
            }
            state = State.CONNECTED;
            clear();
        } finally {
            stage.unlock();
        }
        ReplayStage.guarded(listener::onConnected);
        return true;
    }

    /**
     * Acknowledges now: only what is still asked on a connected socket.
     *
     * @param symbol the ticker
     * @param subscribe a subscription's ack, or an unsubscription's
     */
    void ack(String symbol, boolean subscribe) {
        stage.lock();
        try {
            if (state != State.CONNECTED) {
                return;
            }
            if (subscribe) {
                if (!subscribed.contains(symbol) || !acked.add(symbol)) {
                    return;
                }
            } else {
                if (!unsubscribing.remove(symbol)) {
                    return;
                }
                subscribed.remove(symbol);
                acked.remove(symbol);
            }
        } finally {
            stage.unlock();
        }
        ReplayStage.guarded(() -> listener.onAck(symbol, subscribe));
    }

    /**
     * A recorded refusal: the subscription is dropped and the listener told.
     *
     * @param symbol the ticker
     * @param reason the server's reason
     */
    void refused(String symbol, String reason) {
        drop(symbol);
        ReplayStage.guarded(() -> listener.onRejected(symbol, reason));
    }

    /**
     * A recorded ack timeout: the subscription is dropped and the listener told.
     *
     * @param symbol the ticker
     * @param detail the transport's detail
     */
    void ackTimedOut(String symbol, String detail) {
        drop(symbol);
        ReplayStage.guarded(() -> listener.onAckTimeout(symbol, detail));
    }

    /**
     * A recorded disconnect the manager did not cause: the connection is idle again.
     *
     * @param reason why
     * @param code the close code
     * @param detail the detail
     */
    void lost(DisconnectReason reason, int code, String detail) {
        stage.lock();
        try {
            state = State.IDLE;
            clear();
        } finally {
            stage.unlock();
        }
        ReplayStage.guarded(() -> listener.onDisconnected(reason, code, detail));
    }

    /**
     * Collects the events of a recorded chunk for the tickers the manager has subscribed (none once
     * the connection is down: it holds no subscription then).
     *
     * @param events the recorded chunk
     * @param into where they go
     */
    void takeSubscribed(List<MarketEvent> events, List<MarketEvent> into) {
        stage.lock();
        try {
            for (MarketEvent m : events) {
                if (subscribed.contains(m.symbol())) {
                    into.add(m);
                }
            }
        } finally {
            stage.unlock();
        }
    }

    /**
     * @param events a chunk, for the listener
     */
    void events(List<MarketEvent> events) {
        ReplayStage.guarded(() -> listener.onEvents(events));
    }

    /**
     * @param status the server status
     * @param message its message
     */
    void serverStatus(String status, String message) {
        ReplayStage.guarded(() -> listener.onServerStatus(status, message));
    }

    /**
     * @param kind the error's kind
     * @param detail its detail
     */
    void error(String kind, String detail) {
        ReplayStage.guarded(() -> listener.onError(kind, detail));
    }

    private void drop(String symbol) {
        stage.lock();
        try {
            subscribed.remove(symbol);
        } finally {
            stage.unlock();
        }
    }

    private void clear() {
        subscribed.clear();
        acked.clear();
        unsubscribing.clear();
    }
}
