package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A consumer's delivery thread and its loop, as both consumers run them: one named daemon thread
 * runs {@link #run()}, which loops while {@link #running()}; {@link #stop} asks it to end and waits
 * for the thread.
 */
public abstract class DeliveryLoop implements Runnable {

    private volatile boolean running = true;
    private Thread thread;

    /**
     * Starts the delivery thread. Called once, by the consumer that owns the loop.
     *
     * @param threadName the thread's name
     */
    public final void start(String threadName) {
        requireNonNull(threadName, "threadName is null");
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks the loop to end after what it is handling, and waits for its thread. An interrupt while
     * waiting ends the wait and stays set.
     *
     * @param wait how long to wait at most
     */
    public final void stop(Duration wait) {
        running = false;
        if (thread == null) {
            return;
        }
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return false once {@link #stop} was called
     */
    protected final boolean running() {
        return running;
    }
}
