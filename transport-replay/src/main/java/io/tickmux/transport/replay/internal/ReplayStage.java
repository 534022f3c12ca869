package io.tickmux.transport.replay.internal;

import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.replay.internal.ReplayConnection.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the manager's threads and the replay thread share, under one lock: the connections by id,
 * whether the replay has started, ended or stopped, which subscriptions the recording answers, and
 * the queue of answers to the manager's own calls, which only the replay thread runs.
 *
 * <p>The replay thread waits here, always running the queued answers first: for an entry's time
 * ({@link #waitUntil}), for the manager to ask what a recorded answer answers ({@link #gate}), and
 * after the end for the last connection to close ({@link #serve}). Listener calls are never made
 * under the lock.
 */
final class ReplayStage {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPlayer.class);

    /** What the end of the recording leaves to do on the replay thread. */
    record Ending(List<ReplayConnection> live, List<Runnable> answers) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ConcurrentLinkedQueue<Runnable> immediate = new ConcurrentLinkedQueue<>();
    private final Map<String, ReplayConnection> conns = new HashMap<>();
    private final Pacer pacer;
    private final long gateNanos;
    private final Runnable start;

    // guarded by lock
    private RecordedAnswers answers = new RecordedAnswers();
    private boolean started;
    private boolean ended;
    private boolean stopped;

    /**
     * @param pacer the clock entries are due on
     * @param gateTimeout how long a recorded answer waits for its question
     * @param start starts the replay thread, at the first {@code connect()}
     */
    ReplayStage(Pacer pacer, Duration gateTimeout, Runnable start) {
        this.pacer = pacer;
        this.gateNanos = gateTimeout.toNanos();
        this.start = start;
    }

    // ------------------------------------------------ any thread

    /** Takes the lock; {@link ReplayConnection} guards its state with it. */
    void lock() {
        lock.lock();
    }

    /** Releases the lock. */
    void unlock() {
        lock.unlock();
    }

    /**
     * @param id the connection's id
     * @param listener the host
     * @return a new connection of that id
     * @throws IllegalStateException when a connection of that id exists and is not closed
     */
    ReplayConnection connection(String id, TransportListener listener) {
        lock.lock();
        try {
            ReplayConnection c = new ReplayConnection(this, id, listener);
            ReplayConnection old = conns.put(id, c);
            if (old != null && !old.is(State.CLOSED)) {
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
     * Sets what the recording answers; the replay thread, before anything is played.
     *
     * @param recorded the answers
     */
    void answers(RecordedAnswers recorded) {
        lock.lock();
        try {
            answers = recorded;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the replay: every wait returns, and the replay thread ends. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------ the connections (lock held)

    /**
     * @return whether the recording has been played to its end; lock held
     */
    boolean ended() {
        return ended;
    }

    /**
     * @return which subscriptions the recording answers; lock held
     */
    RecordedAnswers answers() {
        return answers;
    }

    /** Starts the replay thread if it is not started yet; lock held. */
    void startOnce() {
        if (!started) {
            started = true;
            start.run();
        }
    }

    /** Wakes the replay thread; lock held. */
    void signal() {
        wake.signalAll();
    }

    /**
     * Queues an answer for the replay thread; lock held.
     *
     * @param r what the replay thread runs next
     */
    void later(Runnable r) {
        immediate.add(r);
        wake.signalAll();
    }

    // ------------------------------------------------ the replay thread

    /** Runs the queued answers, in order. */
    void runImmediate() {
        Runnable r;
        while ((r = immediate.poll()) != null) {
            guarded(r);
        }
    }

    /**
     * @return closed, or every connection closed: nobody is left to play to
     */
    boolean isStopped() {
        lock.lock();
        try {
            return stopped || (!conns.isEmpty() && allClosed());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the pacer's clock reaches {@code due}, or the replay stops, running answers.
     *
     * @param due on the pacer's clock
     * @throws InterruptedException when the thread is interrupted
     */
    void waitUntil(long due) throws InterruptedException {
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
     * @param id a connection's id
     * @param state a state
     * @return the connection of that id when it is in that state, else {@code null}
     */
    ReplayConnection find(String id, State state) {
        lock.lock();
        try {
            ReplayConnection c = conns.get(id);
            return c != null && c.is(state) ? c : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (on the system clock, at most the gate timeout) until the manager has done what a
     * recorded answer needs, running answers meanwhile.
     *
     * @param id the connection's id
     * @param ready what the connection must be, tested with the lock held
     * @param what the answer, for the log
     * @return the connection once it is ready; {@code null} when the answer is to be skipped (the
     *     gate timed out, logged, or the replay stopped)
     * @throws InterruptedException when the thread is interrupted
     */
    ReplayConnection gate(String id, Predicate<ReplayConnection> ready, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + gateNanos;
        while (true) {
            runImmediate();
            lock.lock();
            try {
                ReplayConnection c = conns.get(id);
                if (c != null && ready.test(c)) {
                    return c;
                }
                long left = deadline - System.nanoTime();
                if (stopped || left <= 0) {
                    if (!stopped) {
                        LOG.info(
                                "replay: skipped the recorded {} of {}: the manager did not {}"
                                        + " within gate-timeout",
                                what,
                                id,
                                what.startsWith("connected") ? "connect it" : "ask for it");
                    }
                    return null;
                }
                if (immediate.isEmpty()) {
                    wake.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Marks the end of the recording: from now on the manager's calls are answered at once.
     *
     * @return the connected connections (for the end status), and what to answer now: the
     *     subscriptions not yet acknowledged, the connections still connecting
     */
    Ending end() {
        List<ReplayConnection> live = new ArrayList<>();
        List<Runnable> now = new ArrayList<>();
        lock.lock();
        try {
            ended = true;
            for (ReplayConnection c : conns.values()) {
                if (c.is(State.CONNECTED)) {
                    live.add(c);
                    for (String s : c.unacknowledged()) {
                        now.add(() -> c.ack(s, true));
                    }
                } else if (c.is(State.CONNECTING)) {
                    now.add(c::connectNow);
                }
            }
        } finally {
            lock.unlock();
        }
        return new Ending(live, now);
    }

    /**
     * After the end: answers the manager until every connection is closed or the replay stops.
     *
     * @throws InterruptedException when the thread is interrupted
     */
    void serve() throws InterruptedException {
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

    /**
     * Runs a listener call; a failure is logged and the replay goes on.
     *
     * @param r the call
     */
    static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("replay: the host's listener threw; continuing", e);
        }
    }

    private boolean allClosed() {
        for (ReplayConnection c : conns.values()) {
            if (!c.is(State.CLOSED)) {
                return false;
            }
        }
        return true;
    }
}
