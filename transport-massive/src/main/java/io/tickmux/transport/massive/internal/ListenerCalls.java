package io.tickmux.transport.massive.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's calls to the host's listener, made one at a time and in order, under one lock.
 *
 * <p>Only the thread that parses (the socket's read thread, or its parsing stage's) ever waits for
 * that lock: it takes it with {@link #lock()} for a whole frame and makes its calls directly. Any
 * other thread (the host's scheduler, a host thread closing the connection) {@linkplain #call
 * queues} its call, runs the queue if the lock is free, and otherwise leaves it to the lock's
 * holder, which runs the queue ({@link #drain()}) once it has let go. So a slow listener on one
 * connection never stalls the host's scheduler (pings, deadlines and timeouts of every connection)
 * and a host closing a connection never waits for its read thread.
 *
 * <p>A call that throws is logged and the next one goes on. Thread-safe.
 */
final class ListenerCalls {

    /** The connection's log: one category for everything about a connection. */
    private static final Logger LOG = LoggerFactory.getLogger(MassiveConnection.class);

    private final String connectionId;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Runnable> deferred = new ConcurrentLinkedQueue<>();

    /**
     * @param connectionId the connection's id, for the log
     */
    ListenerCalls(String connectionId) {
        this.connectionId = connectionId;
    }

    /**
     * Calls the listener: at once on a thread that holds the lock (the parsing thread while it
     * parses), else through the queue, without waiting.
     *
     * @param call the listener call
     */
    void call(Runnable call) {
        if (lock.isHeldByCurrentThread()) {
            runGuarded(call);
            return;
        }
        deferred.add(call);
        drain();
    }

    /** Takes the lock, waiting for it: only the thread that parses may. */
    void lock() {
        lock.lock();
    }

    /**
     * Lets go of the lock; the caller then runs what was queued meanwhile with {@link #drain()}.
     */
    void unlock() {
        lock.unlock();
    }

    /** Runs queued listener calls while the lock can be had without waiting. */
    void drain() {
        while (!deferred.isEmpty() && lock.tryLock()) {
            try {
                Runnable r;
                while ((r = deferred.poll()) != null) {
                    runGuarded(r);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * @param e what the listener threw (logged, then the connection goes on)
     */
    void listenerThrew(RuntimeException e) {
        LOG.error("{}: the host's listener threw; continuing", connectionId, e);
    }

    private void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            listenerThrew(e);
        }
    }
}
