package io.tickmux.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per interval, saying how many were suppressed in between.
 * Thread-safe and lock-free.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log where to write
     * @param clock time source
     * @param interval least time between two lines; zero logs every time
     */
    public RateLimitedLog(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Logs a warning unless one was logged within the interval.
     *
     * @param message the message, with {@code {}} placeholders
     * @param error the exception, logged with its stack trace
     * @param args placeholder values
     * @return whether a line was written
     */
    public boolean warn(String message, Throwable error, Object... args) {
        long now = clock.millis();
        long allowed = nextAllowed.get();
        if (now < allowed || !nextAllowed.compareAndSet(allowed, now + intervalMillis)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = skipped;
        all[args.length + 1] = error;
        log.warn(message + " ({} similar suppressed since the last line)", all);
        return true;
    }
}
