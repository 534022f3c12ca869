package io.tickmux.core.internal;

import io.tickmux.core.BackfillHook;
import io.tickmux.core.StatusListener;
import io.tickmux.core.event.StatusEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands gap events to a {@link BackfillHook} on the bounded {@code tickmux-backfill} thread. */
public final class BackfillDispatcher implements StatusListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillDispatcher.class);

    private final BackfillHook hook;
    private final ThreadPoolExecutor executor;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param hook the user's hook
     * @param capacity most gaps waiting
     */
    public BackfillDispatcher(BackfillHook hook, int capacity) {
        this.hook = hook;
        this.executor =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(capacity),
                        new NamedThreadFactory("tickmux-backfill"),
                        (r, ex) -> {
                            dropped.incrementAndGet();
                            LOG.warn(
                                    "backfill queue full: a gap was dropped; the hook is too slow");
                        });
    }

    @Override
    public void onStatus(StatusEvent event) {
        if (event instanceof StatusEvent.Gap gap) {
            executor.execute(
                    () -> {
                        try {
                            hook.backfill(gap);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            LOG.warn(
                                    "backfill of {} {}..{} failed",
                                    gap.symbol(),
                                    gap.from(),
                                    gap.to(),
                                    e);
                        }
                    });
        }
    }

    /**
     * @return backfills that threw
     */
    public long failures() {
        return failures.get();
    }

    /**
     * @return gaps dropped because the queue was full
     */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
