package io.tickmux.backfill.rest.internal;

import java.util.function.LongSupplier;

/**
 * Requests per minute across all gaps: a token bucket holding at most a minute's worth, refilled
 * continuously, and a pause every request waits out after a 429 (its Retry-After). Used by the one
 * backfill thread; synchronized so a test may read it.
 */
final class RequestBudget {

    /** Sleeps; a test replaces it to advance a fake clock. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long refilledAt;
    private long pausedUntil;

    RequestBudget(int perMinute, LongSupplier nanoTime, Sleeper sleeper) {
        this.perNano = perMinute / 60e9;
        this.capacity = perMinute;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tokens = perMinute;
        this.refilledAt = nanoTime.getAsLong();
        this.pausedUntil = refilledAt;
    }

    /**
     * How long the next request would wait now.
     *
     * @return nanoseconds, 0 when a request may go at once
     */
    synchronized long waitNanos() {
        long now = nanoTime.getAsLong();
        refill(now);
        long pause = Math.max(0, pausedUntil - now);
        long token = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
        return Math.max(pause, token);
    }

    /**
     * Takes one request's token, waiting for it (and for a pause) first.
     *
     * @throws InterruptedException when the backfill is stopped
     */
    void acquire() throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                wait = waitNanos();
                if (wait == 0) {
                    tokens -= 1;
                    return;
                }
            }
            sleeper.sleep(wait);
        }
    }

    /**
     * Holds every request back until a time (a 429's Retry-After).
     *
     * @param nanos how long from now
     */
    synchronized void pause(long nanos) {
        pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + nanos);
    }

    private void refill(long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
    }
}
