package io.tickmux.transport.mock.internal;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One mock connection's wire: a daemon thread ({@code tickmux-mock-<id>}) that runs queued tasks
 * one at a time, in order, like a socket's read thread. Both sides of the connection queue their
 * actions on it, so every listener call happens on this thread. The queue is bounded: when it is
 * full, {@link #enqueue} waits, as a socket backs up. A task that throws (the host's listener
 * threw) is handed to the error sink and printed; the thread carries on. Thread-safe.
 */
public final class Wire {

    private static final int QUEUE_BOUND = 65_536;
    private static final Runnable STOP = () -> {};

    private final String connectionId;
    private final Consumer<? super RuntimeException> errors;
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_BOUND);
    private final Thread thread;

    /**
     * Starts the wire thread.
     *
     * @param connectionId the connection's id, for the thread's name and messages
     * @param errors where an exception a task throws goes (called on the wire thread)
     */
    public Wire(String connectionId, Consumer<? super RuntimeException> errors) {
        this.connectionId = connectionId;
        this.errors = errors;
        this.thread = new Thread(this::run, "tickmux-mock-" + connectionId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a task after those already queued; dropped once the thread has stopped. Waits while
     * the queue is full.
     *
     * @param task the task
     */
    public void enqueue(Runnable task) {
        if (!thread.isAlive()) {
            return;
        }
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread once it has run every task queued before this call. */
    public void stop() {
        enqueue(STOP);
    }

    /**
     * Waits until the thread has run everything queued before this call, or has stopped.
     *
     * @param timeout how long to wait
     * @throws AssertionError when it does not finish in time
     */
    public void flush(Duration timeout) {
        if (!thread.isAlive()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        enqueue(done::countDown);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // A stop queued before this flush ends the thread before it reaches the latch:
            // look at the thread every millisecond instead of waiting out the timeout.
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "mock connection " + connectionId + " did not flush in " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                Runnable task = queue.take();
                if (task == STOP) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The host's listener must not throw; surface it loudly in the test log and
                    // hand it to the error sink.
                    errors.accept(e);
                    System.err.println(thread.getName() + ": listener threw: " + e);
                    e.printStackTrace();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
