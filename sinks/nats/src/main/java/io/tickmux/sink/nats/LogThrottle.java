package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import java.util.function.LongSupplier;

/**
 * At most one log line per interval: the reports in between are folded, and the next line says how
 * many. Thread-safe.
 */
final class LogThrottle {

    private final long everyNanos;
    private final LongSupplier nanoTime;
    private long lastLogged;
    private long folded;

    /**
     * @param everyNanos the interval; the first report is always logged
     * @param nanoTime the monotonic clock ({@link System#nanoTime()})
     */
    LogThrottle(long everyNanos, LongSupplier nanoTime) {
        this.everyNanos = everyNanos;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.lastLogged = nanoTime.getAsLong() - everyNanos;
    }

    /**
     * Decides about one report.
     *
     * @return -1 when it is folded (log it quietly, if at all); otherwise log it, with the returned
     *     number of reports folded since the last line
     */
    synchronized long admit() {
        long now = nanoTime.getAsLong();
        if (now - lastLogged < everyNanos) {
            folded++;
            return -1;
        }
        long n = folded;
        lastLogged = now;
        folded = 0;
        return n;
    }
}
