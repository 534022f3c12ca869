package io.tickmux.tck;

import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Records status events so a test can wait for the one it expects instead of sleeping. Thread-safe.
 */
public final class RecordingStatusListener implements StatusListener {

    private final LinkedBlockingQueue<StatusEvent> queue = new LinkedBlockingQueue<>();
    private final List<StatusEvent> all = new CopyOnWriteArrayList<>();
    private final Duration timeout;

    /**
     * @param timeout how long {@link #next} waits
     */
    public RecordingStatusListener(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void onStatus(StatusEvent event) {
        all.add(event);
        queue.add(event);
    }

    /**
     * Skips events until one of the type that matches arrives.
     *
     * @param type the event type
     * @param match what it must satisfy
     * @param <T> the type
     * @return the event
     * @throws AssertionError when none arrives in time, listing what did
     */
    public <T extends StatusEvent> T next(Class<T> type, Predicate<? super T> match) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StatusEvent> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            StatusEvent e;
            try {
                e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
            if (e == null) {
                throw new AssertionError(
                        "Timed out after "
                                + timeout
                                + " waiting for "
                                + type.getSimpleName()
                                + "; skipped: "
                                + skipped);
            }
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
            skipped.add(e);
        }
    }

    /**
     * The next event of a type.
     *
     * @param type the event type
     * @param <T> the type
     * @return the event
     */
    public <T extends StatusEvent> T next(Class<T> type) {
        return next(type, e -> true);
    }

    /**
     * Every event received so far, including those taken by {@link #next}.
     *
     * @return a snapshot
     */
    public List<StatusEvent> all() {
        return List.copyOf(all);
    }
}
