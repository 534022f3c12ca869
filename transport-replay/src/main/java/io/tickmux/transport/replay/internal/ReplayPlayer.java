package io.tickmux.transport.replay.internal;

import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.replay.ReplayReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a recording to the connections a manager makes, on one thread ({@code tickmux-replay}) that
 * it starts at the first {@code connect()} and that ends when every connection is closed after the
 * recording's end, or at {@link #close()}.
 *
 * <p>The recording plays the server and the socket: what the recorded transport reported (events,
 * acks, refusals, status, errors, connects and disconnects) is reported again, at the recorded
 * inter-arrival times divided by the speed, measured on the {@link Pacer}. The manager stays free:
 *
 * <ul>
 *   <li>Events reach a connection only while it is connected, and only for tickers the manager has
 *       subscribed on it (as a real server sends); the others are counted as filtered.
 *   <li>A recorded answer waits for its question: a recorded {@code connected} plays once the
 *       manager has called {@code connect()}; a recorded ack or refusal once it has sent that
 *       subscription. After the gate timeout the answer is skipped and counted. Time spent at a
 *       gate does not shorten the gaps that follow.
 *   <li>A subscription the recording never answers on that connection is acknowledged at once, as a
 *       server would; so is every subscription after the end of the recording. {@code abort()} and
 *       {@code close()} are reported at once.
 * </ul>
 *
 * <p>At the end, every connected connection gets a server status {@code replay_end} with the {@link
 * ReplayReport#summary()}, and {@link #completion()} completes. Listener calls are made on the
 * replay thread only, never under the lock, so they are one at a time per connection.
 */
public final class ReplayPlayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPlayer.class);

    /** The server status word a replay ends with. */
    public static final String END_STATUS = "replay_end";

    private enum State {
        IDLE,
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    private final List<Path> files;
    private final double speed;
    private final long gateNanos;
    private final Pacer pacer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ConcurrentLinkedQueue<Runnable> immediate = new ConcurrentLinkedQueue<>();
    private final Map<String, Conn> conns = new HashMap<>();
    private final CompletableFuture<ReplayReport> completion = new CompletableFuture<>();
    private final Thread thread;
    private boolean started;
    private boolean ended;
    private boolean stopped;

    // replay thread only
    private final Map<String, Set<String>> answeredSubs = new HashMap<>();
    private final Map<String, Set<String>> answeredUnsubs = new HashMap<>();
    private final Map<String, String> recordedState = new HashMap<>();
    private final Set<String> clientEnded = new HashSet<>();
    private final List<MarketEvent> chunk = new ArrayList<>();
    private long delivered;
    private long filtered;
    private long recordedDrops;
    private long skipped;

    /** One replayed connection; fields guarded by {@link #lock}. */
    private final class Conn implements TransportConnection {
        final String id;
        final TransportListener listener;
        State state = State.IDLE;

        /** Subscribed by the manager (until its unsubscribe is acknowledged). */
        final Set<String> subscribed = new HashSet<>();

        final Set<String> acked = new HashSet<>();
        final Set<String> unsubscribing = new HashSet<>();

        Conn(String id, TransportListener listener) {
            this.id = id;
            this.listener = listener;
        }

        @Override
        public void connect() {
            lock.lock();
            try {
                if (state == State.CLOSED) {
                    throw new IllegalStateException("replay connection " + id + " is closed");
                }
                if (state != State.IDLE) {
                    throw new IllegalStateException(
                            "replay connection " + id + " is already open or connecting");
                }
                state = State.CONNECTING;
                if (ended) {
                    later(
                            () -> {
                                if (setState(this, State.CONNECTING, State.CONNECTED)) {
                                    listener.onConnected();
                                }
                            });
                }
                if (!started) {
                    started = true;
                    thread.start();
                }
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            lock.lock();
            try {
                if (state != State.CONNECTED) {
                    return; // the host sends the whole set again on reconnect
                }
                Set<String> answered = answeredSubs.getOrDefault(id, Set.of());
                for (String s : symbols) {
                    subscribed.add(s);
                    unsubscribing.remove(s);
                    if (ended || !answered.contains(s)) {
                        later(() -> ackNow(this, s, true));
                    }
                }
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            lock.lock();
            try {
                if (state != State.CONNECTED) {
                    return;
                }
                Set<String> answered = answeredUnsubs.getOrDefault(id, Set.of());
                for (String s : symbols) {
                    unsubscribing.add(s);
                    if (ended || !answered.contains(s)) {
                        later(() -> ackNow(this, s, false));
                    }
                }
                wake.signalAll();
            } finally {
                lock.unlock();
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
            lock.lock();
            try {
                State was = state;
                if (was == State.CLOSED) {
                    return;
                }
                state = next;
                clear();
                if (was != State.IDLE) {
                    later(() -> listener.onDisconnected(reason, code, detail));
                }
                wake.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void clear() {
            subscribed.clear();
            acked.clear();
            unsubscribing.clear();
        }
    }

    /**
     * @param files the recording, in playing order
     * @param speed 1 real time, N faster, infinity as fast as possible
     * @param gateTimeout how long a recorded answer waits for its question
     * @param pacer the clock pacing follows
     */
    public ReplayPlayer(List<Path> files, double speed, Duration gateTimeout, Pacer pacer) {
        this.files = List.copyOf(files);
        this.speed = speed;
        this.gateNanos = gateTimeout.toNanos();
        this.pacer = pacer;
        this.thread = Threads.named("tickmux-replay").newThread(this::run);
    }

    /**
     * A connection the manager drives; the recording's entries of the same id reach it.
     *
     * @param id the connection's id
     * @param listener the host
     * @return the connection
     */
    public TransportConnection connection(String id, TransportListener listener) {
        lock.lock();
        try {
            Conn c = new Conn(id, listener);
            Conn old = conns.put(id, c);
            if (old != null && old.state != State.CLOSED) {
                conns.put(id, old);
                throw new IllegalStateException(
                        "replay connection " + id + " exists and is not closed");
            }
            return c;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return completes with the report when the recording has been played
     */
    public CompletableFuture<ReplayReport> completion() {
        return completion;
    }

    /** Stops the replay thread; connections get no more calls. */
    @Override
    public void close() {
        completion.completeExceptionally(
                new CancellationException("the replay was closed before its end"));
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------ replay thread

    private void run() {
        try {
            prescan();
            play();
            serve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("replay: stopped by an unexpected failure", e);
            completion.completeExceptionally(e);
        }
    }

    /** Which subscriptions the recording answers, per connection. */
    private void prescan() {
        try (RecordingReader r = new RecordingReader(files, true)) {
            RecordingReader.Timed t;
            while ((t = r.next()) != null) {
                Entry e = t.entry();
                if (e instanceof Entry.Ack a) {
                    (a.subscribed() ? answeredSubs : answeredUnsubs)
                            .computeIfAbsent(a.connectionId(), k -> new HashSet<>())
                            .add(a.symbol());
                } else if (e instanceof Entry.Rejected x) {
                    answeredSubs
                            .computeIfAbsent(x.connectionId(), k -> new HashSet<>())
                            .add(x.symbol());
                } else if (e instanceof Entry.AckTimeout x) {
                    answeredSubs
                            .computeIfAbsent(x.connectionId(), k -> new HashSet<>())
                            .add(x.symbol());
                } else if (e instanceof Entry.State s && s.connected()) {
                    answeredSubs
                            .computeIfAbsent(s.connectionId(), k -> new HashSet<>())
                            .addAll(s.acked());
                }
            }
        }
    }

    private void play() throws InterruptedException {
        RecordingReader reader = new RecordingReader(files);
        long entries = 0;
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        long wallStart = 0;
        try (reader) {
            RecordingReader.Timed t;
            while ((t = reader.next()) != null) {
                runImmediate(); // what the manager's own calls caused comes first
                if (isStopped()) {
                    completion.completeExceptionally(
                            new CancellationException(
                                    "the replay stopped before the end of the recording: closed,"
                                            + " or every connection was closed"));
                    return;
                }
                entries++;
                Entry e = t.entry();
                if (e instanceof Entry.Command c) {
                    if (c.kind() == Entry.CommandKind.CONNECT
                            && !"connected".equals(recordedState.get(c.connectionId()))) {
                        recordedState.put(c.connectionId(), "connecting");
                    } else if (c.kind() == Entry.CommandKind.ABORT
                            || c.kind() == Entry.CommandKind.CLOSE) {
                        // The disconnect this leads to is the recorded manager's doing: the
                        // replaying manager's own abort() or close() reports it, so it is not
                        // played.
                        clientEnded.add(c.connectionId());
                    }
                    continue;
                }
                if (e instanceof Entry.Dropped d) {
                    recordedDrops += d.count();
                    LOG.warn(
                            "replay: the recorder dropped {} entries here (its buffer was full):"
                                    + " the recording has a hole",
                            d.count());
                    continue;
                }
                long tv = Math.max(last, t.unixNanos());
                if (first == Long.MIN_VALUE) {
                    first = tv;
                    wallStart = pacer.nanoTime();
                }
                last = tv;
                if (!Double.isInfinite(speed)) {
                    long due = wallStart + (long) ((tv - first) / speed);
                    waitUntil(due);
                } else {
                    runImmediate();
                }
                long before = pacer.nanoTime();
                apply(e);
                // Time spent at a gate moves the whole timeline: the gaps after it stay whole.
                wallStart += pacer.nanoTime() - before;
            }
            ReplayReport report =
                    new ReplayReport(
                            reader.fileList().size(),
                            reader.completeFiles(),
                            reader.corruptFiles(),
                            reader.problems(),
                            entries,
                            delivered,
                            filtered,
                            recordedDrops,
                            skipped,
                            Duration.ofNanos(first == Long.MIN_VALUE ? 0 : last - first));
            for (String p : report.problems()) {
                LOG.warn("replay: {}", p);
            }
            end(report);
        }
    }

    private void end(ReplayReport report) {
        List<Conn> live = new ArrayList<>();
        List<Runnable> acks = new ArrayList<>();
        lock.lock();
        try {
            ended = true;
            for (Conn c : conns.values()) {
                if (c.state == State.CONNECTED) {
                    live.add(c);
                    for (String s : c.subscribed) {
                        if (!c.acked.contains(s)) {
                            acks.add(() -> ackNow(c, s, true));
                        }
                    }
                } else if (c.state == State.CONNECTING) {
                    acks.add(
                            () -> {
                                if (setState(c, State.CONNECTING, State.CONNECTED)) {
                                    c.listener.onConnected();
                                }
                            });
                }
            }
        } finally {
            lock.unlock();
        }
        acks.forEach(this::guarded);
        String summary = report.summary();
        LOG.info("replay: {}", summary);
        for (Conn c : live) {
            guarded(() -> c.listener.onServerStatus(END_STATUS, summary));
        }
        completion.complete(report);
    }

    /** After the end: answers the manager until every connection is closed or the replay stops. */
    private void serve() throws InterruptedException {
        while (true) {
            runImmediate();
            lock.lock();
            try {
                if (stopped || (!conns.isEmpty() && allClosed() && immediate.isEmpty())) {
                    return;
                }
                if (immediate.isEmpty()) {
                    wake.await();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean allClosed() {
        for (Conn c : conns.values()) {
            if (c.state != State.CLOSED) {
                return false;
            }
        }
        return true;
    }

    private void waitUntil(long due) throws InterruptedException {
        while (true) {
            runImmediate();
            lock.lock();
            try {
                if (stopped || pacer.nanoTime() - due >= 0) {
                    return;
                }
                if (immediate.isEmpty()) {
                    pacer.awaitUntil(wake, due);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits (on the system clock) until the manager has done what a recorded answer needs.
     *
     * @return whether it did; otherwise the answer is skipped and counted
     */
    private boolean gate(Conn[] out, String id, Predicate<Conn> ready, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + gateNanos;
        while (true) {
            runImmediate();
            lock.lock();
            try {
                Conn c = conns.get(id);
                if (c != null && ready.test(c)) {
                    out[0] = c;
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (stopped || left <= 0) {
                    skipped++;
                    if (!stopped) {
                        LOG.info(
                                "replay: skipped the recorded {} of {}: the manager did not {}"
                                        + " within gate-timeout",
                                what,
                                id,
                                what.startsWith("connected") ? "connect it" : "ask for it");
                    }
                    return false;
                }
                if (immediate.isEmpty()) {
                    wake.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void apply(Entry e) throws InterruptedException {
        String id = e.connectionId();
        Conn[] c = new Conn[1];
        if (e instanceof Entry.Events ev) {
            deliverEvents(id, ev.events());
        } else if (e instanceof Entry.Connected) {
            recordedState.put(id, "connected");
            connected(id, c);
        } else if (e instanceof Entry.Disconnected d) {
            if (clientEnded.remove(id) || d.reason() == DisconnectReason.CLOSED_BY_CLIENT) {
                recordedState.put(id, "idle");
                return;
            }
            boolean wasConnecting = "connecting".equals(recordedState.get(id));
            recordedState.put(id, "idle");
            boolean go =
                    wasConnecting
                            ? gate(c, id, x -> x.state == State.CONNECTING, "failed connect")
                            : present(c, id, State.CONNECTED);
            if (go) {
                lock.lock();
                try {
                    c[0].state = State.IDLE;
                    c[0].clear();
                } finally {
                    lock.unlock();
                }
                Conn conn = c[0];
                guarded(() -> conn.listener.onDisconnected(d.reason(), d.closeCode(), d.detail()));
            }
        } else if (e instanceof Entry.Ack a) {
            if (a.subscribed()) {
                if (gate(c, id, x -> subscribedOn(x, a.symbol()), "ack of " + a.symbol())) {
                    ackNow(c[0], a.symbol(), true);
                }
            } else if (gate(
                    c,
                    id,
                    x -> x.state == State.CONNECTED && x.unsubscribing.contains(a.symbol()),
                    "unsubscribe ack of " + a.symbol())) {
                ackNow(c[0], a.symbol(), false);
            }
        } else if (e instanceof Entry.Rejected r) {
            if (gate(c, id, x -> subscribedOn(x, r.symbol()), "refusal of " + r.symbol())) {
                dropSubscription(c[0], r.symbol());
                Conn conn = c[0];
                guarded(() -> conn.listener.onRejected(r.symbol(), r.reason()));
            }
        } else if (e instanceof Entry.AckTimeout r) {
            if (gate(c, id, x -> subscribedOn(x, r.symbol()), "ack timeout of " + r.symbol())) {
                dropSubscription(c[0], r.symbol());
                Conn conn = c[0];
                guarded(() -> conn.listener.onAckTimeout(r.symbol(), r.detail()));
            }
        } else if (e instanceof Entry.ServerStatus s) {
            if (present(c, id, State.CONNECTED) || present(c, id, State.CONNECTING)) {
                Conn conn = c[0];
                guarded(() -> conn.listener.onServerStatus(s.status(), s.message()));
            }
        } else if (e instanceof Entry.Error x) {
            if (present(c, id, State.CONNECTED) || present(c, id, State.CONNECTING)) {
                Conn conn = c[0];
                guarded(() -> conn.listener.onError(x.kind(), x.detail()));
            }
        } else if (e instanceof Entry.State s) {
            // A file played on its own begins mid-recording: its connections were up.
            if (s.connected() && !recordedState.containsKey(id)) {
                recordedState.put(id, "connected");
                if (connected(id, c)) {
                    for (String sym : new LinkedHashSet<>(s.acked())) {
                        Conn[] d = new Conn[1];
                        if (gate(d, id, x -> subscribedOn(x, sym), "ack of " + sym)) {
                            ackNow(d[0], sym, true);
                        }
                    }
                }
            }
        }
    }

    private boolean connected(String id, Conn[] c) throws InterruptedException {
        if (present(c, id, State.CONNECTED)) {
            return true;
        }
        if (gate(c, id, x -> x.state == State.CONNECTING, "connected")) {
            if (setState(c[0], State.CONNECTING, State.CONNECTED)) {
                guarded(c[0].listener::onConnected);
                return true;
            }
        }
        return false;
    }

    private boolean present(Conn[] out, String id, State state) {
        lock.lock();
        try {
            Conn c = conns.get(id);
            if (c != null && c.state == state) {
                out[0] = c;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static boolean subscribedOn(Conn c, String symbol) {
        return c.state == State.CONNECTED && c.subscribed.contains(symbol);
    }

    private void deliverEvents(String id, List<MarketEvent> events) {
        Conn conn;
        chunk.clear();
        lock.lock();
        try {
            conn = conns.get(id);
            if (conn == null || conn.state != State.CONNECTED) {
                filtered += events.size();
                return;
            }
            for (MarketEvent m : events) {
                if (conn.subscribed.contains(m.symbol())) {
                    chunk.add(m);
                } else {
                    filtered++;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!chunk.isEmpty()) {
            delivered += chunk.size();
            guarded(() -> conn.listener.onEvents(chunk));
        }
    }

    private void dropSubscription(Conn c, String symbol) {
        lock.lock();
        try {
            c.subscribed.remove(symbol);
        } finally {
            lock.unlock();
        }
    }

    /** Acknowledges now (replay thread): only what is still asked on a connected socket. */
    private void ackNow(Conn c, String symbol, boolean subscribe) {
        lock.lock();
        try {
            if (c.state != State.CONNECTED) {
                return;
            }
            if (subscribe) {
                if (!c.subscribed.contains(symbol) || !c.acked.add(symbol)) {
                    return;
                }
            } else {
                if (!c.unsubscribing.remove(symbol)) {
                    return;
                }
                c.subscribed.remove(symbol);
                c.acked.remove(symbol);
            }
        } finally {
            lock.unlock();
        }
        guarded(() -> c.listener.onAck(symbol, subscribe));
    }

    private boolean setState(Conn c, State from, State to) {
        lock.lock();
        try {
            if (c.state != from) {
                return false;
            }
            c.state = to;
            if (to == State.CONNECTED) {
                c.clear();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues work for the replay thread (caller holds the lock). */
    private void later(Runnable r) {
        immediate.add(r);
        wake.signalAll();
    }

    private void runImmediate() {
        Runnable r;
        while ((r = immediate.poll()) != null) {
            guarded(r);
        }
    }

    /** Closed, or every connection closed: nobody is left to play to. */
    private boolean isStopped() {
        lock.lock();
        try {
            return stopped || (!conns.isEmpty() && allClosed());
        } finally {
            lock.unlock();
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("replay: the host's listener threw; continuing", e);
        }
    }
}
