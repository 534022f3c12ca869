package io.tickmux.transport.mock;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One mock connection: the client side the host drives ({@link TransportConnection}) and the server
 * side a test scripts. Every listener call happens on this connection's wire thread, in the order
 * scripted. Thread-safe.
 *
 * <p>Like the real server, it delivers events only for symbols it holds a subscription for (or
 * {@code *}); others are counted in {@link #skippedUnsubscribed()}.
 *
 * <p>Faults can be healed: {@link #allowAuth()} after {@link #rejectAuth()}, {@link
 * #acceptConnects()} after {@link #refuseNextConnects}, {@link #unrejectSubscription} after {@link
 * #rejectSubscription}, {@code dropUnsubscribeAcks(false)}, {@code mute(false)}, {@code
 * autoAck(true)} and {@link #ackPending()}. An exception the host's listener throws is printed and
 * recorded in {@link #listenerErrors()}; the wire thread carries on.
 */
public final class MockConnection implements TransportConnection {

    private static final int WIRE_QUEUE_BOUND = 65_536;
    private static final Runnable STOP = () -> {};

    private enum Phase {
        IDLE,
        CONNECTING,
        OPEN,
        CLOSED
    }

    private final MockTransport owner;
    private final ConnectionSpec spec;
    private final TransportListener listener;
    private final Clock clock;
    private final BlockingQueue<Runnable> wire = new ArrayBlockingQueue<>(WIRE_QUEUE_BOUND);
    private final LinkedBlockingQueue<SubscriptionChange> changeQueue = new LinkedBlockingQueue<>();
    private final Thread thread;

    // guarded by this
    private Phase phase = Phase.IDLE;
    private boolean socketCounted;
    private boolean autoAck;
    private boolean muted;
    private boolean dropUnsubscribeAcks;
    private int session;
    private int connectAttempts;
    private final Deque<DisconnectReason> refusals = new ArrayDeque<>();
    private boolean authRejected;
    private final Set<String> serverSubscriptions = new LinkedHashSet<>();
    private final Set<String> unacked = new LinkedHashSet<>();
    private final Map<String, String> rejections = new HashMap<>();
    private final List<SubscriptionChange> changes = new ArrayList<>();
    private final List<MarketEvent> delivered = new ArrayList<>();
    private final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();

    private final AtomicLong mutedEvents = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    MockConnection(
            MockTransport owner,
            ConnectionSpec spec,
            TransportListener listener,
            Clock clock,
            boolean autoAck) {
        this.owner = owner;
        this.spec = spec;
        this.listener = listener;
        this.clock = clock;
        this.autoAck = autoAck;
        this.thread = new Thread(this::runWire, "tickmux-mock-" + spec.id());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * @return the connection's id
     */
    public String id() {
        return spec.id();
    }

    /**
     * @return the spec the host created the connection with
     */
    public ConnectionSpec spec() {
        return spec;
    }

    // ------------------------------------------------------------ client side (the host)

    @Override
    public void connect() {
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                throw new IllegalStateException("mock connection " + id() + " is closed");
            }
            if (phase != Phase.IDLE) {
                throw new IllegalStateException(
                        "mock connection " + id() + " is already " + phase.name().toLowerCase());
            }
            phase = Phase.CONNECTING;
            socketCounted = true;
            connectAttempts++;
        }
        owner.socketOpened();
        enqueue(
                () -> {
                    DisconnectReason refusal;
                    synchronized (this) {
                        if (phase != Phase.CONNECTING) {
                            return;
                        }
                        refusal = authRejected ? DisconnectReason.AUTH_FAILED : refusals.poll();
                        if (refusal == null) {
                            phase = Phase.OPEN;
                            session++;
                            serverSubscriptions.clear();
                            unacked.clear();
                        }
                    }
                    if (refusal == null) {
                        listener.onConnected();
                    } else {
                        end(
                                refusal,
                                refusal == DisconnectReason.AUTH_FAILED ? 1006 : -1,
                                refusal == DisconnectReason.AUTH_FAILED
                                        ? "authentication failed"
                                        : "connection refused by mock");
                    }
                });
    }

    @Override
    public void subscribe(Collection<String> symbols) {
        change(true, symbols);
    }

    @Override
    public void unsubscribe(Collection<String> symbols) {
        change(false, symbols);
    }

    private void change(boolean subscribe, Collection<String> symbols) {
        if (symbols.isEmpty()) {
            return;
        }
        List<String> copy = List.copyOf(symbols);
        enqueue(
                () -> {
                    Set<String> acks = new LinkedHashSet<>();
                    Map<String, String> refused = new HashMap<>();
                    synchronized (this) {
                        if (phase != Phase.OPEN) {
                            return; // sent on a dead socket: lost, like the real thing
                        }
                        SubscriptionChange c =
                                new SubscriptionChange(
                                        id(), session, subscribe, copy, clock.instant());
                        changes.add(c);
                        changeQueue.add(c);
                        for (String s : copy) {
                            if (subscribe) {
                                String reason = rejections.get(s);
                                if (reason == null) {
                                    reason = owner.rejection(s);
                                }
                                if (reason != null) {
                                    refused.put(s, reason);
                                    continue;
                                }
                                serverSubscriptions.add(s);
                                if (autoAck) {
                                    unacked.remove(s);
                                    acks.add(s);
                                } else {
                                    unacked.add(s);
                                }
                            } else {
                                serverSubscriptions.remove(s);
                                unacked.remove(s);
                                if (!dropUnsubscribeAcks) {
                                    acks.add(s);
                                }
                            }
                        }
                    }
                    for (String s : copy) {
                        if (refused.containsKey(s)) {
                            listener.onRejected(s, refused.get(s));
                        } else if (acks.contains(s)) {
                            listener.onAck(s, subscribe);
                        }
                    }
                });
    }

    @Override
    public void abort() {
        enqueue(() -> endIfActive(DisconnectReason.ABORT, 1006, "aborted by client"));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                return;
            }
        }
        enqueue(
                () -> {
                    endIfActive(DisconnectReason.CLOSED_BY_CLIENT, 1000, "closed by client");
                    synchronized (this) {
                        phase = Phase.CLOSED;
                    }
                });
        enqueue(STOP);
    }

    // ------------------------------------------------------------ server side (the test)

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
     * Sends one frame of events, in order.
     *
     * @param events the events
     * @throws IllegalStateException when the connection is not open
     */
    public void emit(List<? extends MarketEvent> events) {
        requireOpen();
        List<MarketEvent> frame = List.copyOf(events);
        enqueue(
                () -> {
                    List<MarketEvent> out = new ArrayList<>(frame.size());
                    synchronized (this) {
                        if (phase != Phase.OPEN) {
                            return;
                        }
                        if (muted) {
                            mutedEvents.addAndGet(frame.size());
                            return;
                        }
                        for (MarketEvent e : frame) {
                            if (serverSubscriptions.contains(e.symbol())
                                    || serverSubscriptions.contains("*")) {
                                out.add(e);
                            } else {
                                skipped.incrementAndGet();
                            }
                        }
                        delivered.addAll(out);
                    }
                    if (!out.isEmpty()) {
                        listener.onEvents(out);
                    }
                });
    }

    /** The server aborts the socket: no close frame (1006). The host should reconnect. */
    public void drop() {
        enqueue(() -> endIfActive(DisconnectReason.ABORT, 1006, "connection reset by mock server"));
    }

    /**
     * The server closes with a close code: 1000 and 1001 are clean, 1008 is policy, anything else
     * counts as an abort.
     *
     * @param code the close code
     * @param reason the close reason
     */
    public void closeFromServer(int code, String reason) {
        DisconnectReason r =
                switch (code) {
                    case 1000, 1001 -> DisconnectReason.CLEAN_CLOSE;
                    case 1008 -> DisconnectReason.POLICY;
                    default -> DisconnectReason.ABORT;
                };
        enqueue(() -> endIfActive(r, code, reason));
    }

    /**
     * The server evicts the connection for exceeding the account's connection limit: a {@code
     * max_connections} status, then a 1008 close.
     */
    public void evict() {
        enqueue(
                () -> {
                    boolean open;
                    synchronized (this) {
                        open = phase == Phase.OPEN;
                    }
                    if (open) {
                        listener.onServerStatus(
                                "max_connections",
                                "Maximum number of websocket connections exceeded.");
                    }
                    endIfActive(DisconnectReason.EVICTED, 1008, "max_connections: evicted by mock");
                });
    }

    /**
     * While muted the socket stays open but the server sends nothing; scripted events are counted
     * in {@link #mutedEvents()} and discarded.
     *
     * @param on whether to mute
     */
    public void mute(boolean on) {
        synchronized (this) {
            muted = on;
        }
    }

    /**
     * The next {@code count} connect attempts fail with the given reason (e.g. {@link
     * DisconnectReason#CONNECT_FAILED}).
     *
     * @param count how many attempts
     * @param reason the failure reported
     */
    public void refuseNextConnects(int count, DisconnectReason reason) {
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                refusals.add(reason);
            }
        }
    }

    /** Every connect attempt from now on fails authentication ({@code auth_failed}). */
    public void rejectAuth() {
        synchronized (this) {
            authRejected = true;
        }
    }

    /**
     * The server refuses subscriptions of a symbol (e.g. {@code not authorized}).
     *
     * @param symbol the ticker
     * @param reason the server's words
     */
    public void rejectSubscription(String symbol, String reason) {
        synchronized (this) {
            rejections.put(symbol, reason);
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
        synchronized (this) {
            rejections.remove(symbol);
        }
    }

    /**
     * Lifts every {@link #rejectSubscription} made on this connection.
     *
     * @return the symbols that were rejected
     */
    public Set<String> unrejectAllSubscriptions() {
        synchronized (this) {
            Set<String> was = Set.copyOf(rejections.keySet());
            rejections.clear();
            return was;
        }
    }

    /** Connect attempts authenticate again, as before {@link #rejectAuth()}. */
    public void allowAuth() {
        synchronized (this) {
            authRejected = false;
        }
    }

    /** Forgets the connect failures still queued by {@link #refuseNextConnects}. */
    public void acceptConnects() {
        synchronized (this) {
            refusals.clear();
        }
    }

    /**
     * While on, the server carries out every unsubscribe but never acknowledges it, so the host's
     * own unsubscribe-ack timeout is what ends the wait. Subscribe acks are not affected.
     *
     * @param on the new setting
     */
    public void dropUnsubscribeAcks(boolean on) {
        synchronized (this) {
            dropUnsubscribeAcks = on;
        }
    }

    /**
     * Whether subscriptions are acknowledged at once.
     *
     * @param on the new setting
     */
    public void autoAck(boolean on) {
        synchronized (this) {
            autoAck = on;
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
     * order.
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

    private void ackPending(Random order, int max) {
        enqueue(
                () -> {
                    List<String> acks;
                    synchronized (this) {
                        if (phase != Phase.OPEN) {
                            return;
                        }
                        acks = new ArrayList<>(unacked);
                        if (order != null) {
                            Collections.shuffle(acks, order);
                        }
                        if (acks.size() > max) {
                            acks = new ArrayList<>(acks.subList(0, max));
                        }
                        acks.forEach(unacked::remove);
                    }
                    for (String s : acks) {
                        listener.onAck(s, true);
                    }
                });
    }

    /**
     * The host's ack timer fires for every subscription not yet acknowledged: the server forgets
     * them (as the real one drops a topic it does not know) and the host hears {@link
     * TransportListener#onAckTimeout} for each, in the order they were sent.
     */
    public void timeOutPendingAcks() {
        enqueue(
                () -> {
                    List<String> late;
                    synchronized (this) {
                        if (phase != Phase.OPEN) {
                            return;
                        }
                        late = new ArrayList<>(unacked);
                        unacked.clear();
                        late.forEach(serverSubscriptions::remove);
                    }
                    for (String s : late) {
                        listener.onAckTimeout(
                                s,
                                "not acknowledged within the ack timeout (timed out by the mock)");
                    }
                });
    }

    /**
     * The server sends a status message.
     *
     * @param status the status word
     * @param message the message
     */
    public void sendStatus(String status, String message) {
        enqueue(() -> listener.onServerStatus(status, message));
    }

    /**
     * The transport reports a non-fatal error, as for a malformed frame.
     *
     * @param kind category, e.g. {@code malformed-frame}
     * @param detail description
     */
    public void sendError(String kind, String detail) {
        enqueue(() -> listener.onError(kind, detail));
    }

    // ------------------------------------------------------------ inspection

    /**
     * @return whether the socket is open (connected and authenticated)
     */
    public synchronized boolean isOpen() {
        return phase == Phase.OPEN;
    }

    /**
     * @return how many times {@link #connect()} was called
     */
    public synchronized int connectAttempts() {
        return connectAttempts;
    }

    /**
     * @return how many sessions were opened successfully
     */
    public synchronized int sessions() {
        return session;
    }

    /**
     * @return the symbols the server holds a subscription for now
     */
    public synchronized Set<String> serverSubscriptions() {
        return Set.copyOf(serverSubscriptions);
    }

    /**
     * @return the subscriptions the server holds but has not acknowledged yet (acks held by {@code
     *     autoAck(false)})
     */
    public synchronized Set<String> unackedSubscriptions() {
        return Set.copyOf(unacked);
    }

    /**
     * @return every exception thrown on the wire thread by the host's listener, in order
     */
    public List<Throwable> listenerErrors() {
        return List.copyOf(listenerErrors);
    }

    /**
     * @return every subscription message received on an open socket, in order
     */
    public synchronized List<SubscriptionChange> changes() {
        return List.copyOf(changes);
    }

    /**
     * @return every event delivered to the host, in order (the server's record of what it sent)
     */
    public synchronized List<MarketEvent> delivered() {
        return List.copyOf(delivered);
    }

    /**
     * Waits for the next subscription message, in the style of MockWebServer's {@code takeRequest}.
     *
     * @param timeout how long to wait
     * @return the change
     * @throws AssertionError when none arrives in time
     */
    public SubscriptionChange takeChange(Duration timeout) {
        try {
            SubscriptionChange c = changeQueue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError(
                        "Timed out after "
                                + timeout
                                + " waiting for a subscription change on "
                                + id());
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * @return events discarded while muted
     */
    public long mutedEvents() {
        return mutedEvents.get();
    }

    /**
     * @return events skipped because the server held no subscription for their symbol
     */
    public long skippedUnsubscribed() {
        return skipped.get();
    }

    /**
     * Waits until the wire thread has run everything queued before this call, or has stopped (the
     * host closed the connection).
     *
     * @param timeout how long to wait
     * @throws AssertionError when it does not finish in time
     */
    public void flush(Duration timeout) {
        CountDownLatch done = new CountDownLatch(1);
        synchronized (this) {
            if (!thread.isAlive()) {
                return;
            }
        }
        enqueue(done::countDown);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // A close queued before this flush stops the thread before it reaches the latch:
            // look at the thread every millisecond instead of waiting out the timeout.
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "mock connection " + id() + " did not flush in " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ wire

    private void requireOpen() {
        synchronized (this) {
            if (phase != Phase.OPEN) {
                throw new IllegalStateException(
                        "mock connection "
                                + id()
                                + " is not open ("
                                + phase.name().toLowerCase()
                                + "): wait for the host to connect before emitting");
            }
        }
    }

    private void endIfActive(DisconnectReason reason, int code, String detail) {
        synchronized (this) {
            if (phase != Phase.OPEN && phase != Phase.CONNECTING) {
                return;
            }
        }
        end(reason, code, detail);
    }

    private void end(DisconnectReason reason, int code, String detail) {
        boolean counted;
        synchronized (this) {
            phase = Phase.IDLE;
            counted = socketCounted;
            socketCounted = false;
            serverSubscriptions.clear();
            unacked.clear();
        }
        if (counted) {
            owner.socketClosed();
        }
        listener.onDisconnected(reason, code, detail);
    }

    private void enqueue(Runnable r) {
        if (!thread.isAlive()) {
            return;
        }
        try {
            wire.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runWire() {
        try {
            while (true) {
                Runnable r = wire.take();
                if (r == STOP) {
                    return;
                }
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // The host's listener must not throw; surface it loudly in the test log and
                    // keep it for listenerErrors().
                    listenerErrors.add(e);
                    System.err.println("tickmux-mock-" + id() + ": listener threw: " + e);
                    e.printStackTrace();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
