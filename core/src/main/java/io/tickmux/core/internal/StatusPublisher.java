package io.tickmux.core.internal;

import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers status events on one thread ({@code tickmux-status}), in order, never under the
 * manager's lock. The queue is bounded; when it is full the new event is dropped and counted.
 */
public final class StatusPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    private final ArrayBlockingQueue<StatusEvent> queue;
    private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();
    private final RateLimitedLog errorLog;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param capacity queue bound
     * @param listener the user's status listener
     * @param clock for the rate-limited error log
     * @param errorLogInterval least time between two error lines
     * @param threads names the thread
     */
    public StatusPublisher(
            int capacity,
            StatusListener listener,
            Clock clock,
            Duration errorLogInterval,
            ThreadFactory threads) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listeners.add(listener);
        this.errorLog = new RateLimitedLog(LOG, clock, errorLogInterval);
        this.thread = threads.newThread(this::drain);
        this.thread.start();
    }

    /**
     * Queues an event; never blocks.
     *
     * @param event the event
     */
    public void publish(StatusEvent event) {
        if (!queue.offer(event)) {
            dropped.increment();
            errorLog.warn(
                    "status queue full ({} events): dropped {}; the status listener is too slow",
                    null,
                    queue.size(),
                    event.getClass().getSimpleName());
        }
    }

    private void drain() {
        try {
            while (running || !queue.isEmpty()) {
                StatusEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                for (StatusListener listener : listeners) {
                    try {
                        listener.onStatus(e);
                    } catch (RuntimeException | LinkageError | AssertionError ex) {
                        errors.increment();
                        errorLog.warn("status listener threw on {}: fix the listener", ex, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds a listener that receives every status event from now on, after the ones added before.
     *
     * @param listener the listener
     */
    public void addListener(StatusListener listener) {
        listeners.add(listener);
    }

    /**
     * @param listener a listener added before; nothing happens when it was not
     */
    public void removeListener(StatusListener listener) {
        listeners.remove(listener);
    }

    /**
     * @return events dropped because the queue was full
     */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * @return exceptions the status listener threw
     */
    public long errors() {
        return errors.sum();
    }

    /**
     * @return events waiting
     */
    public int queueDepth() {
        return queue.size();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
