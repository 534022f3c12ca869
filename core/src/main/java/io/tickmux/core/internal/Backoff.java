package io.tickmux.core.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: delay(n) = min(max, initial * multiplier^n) * (1 + jitter * u),
 * u uniform in [-1, 1). Stateless and thread-safe.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param initial first delay
     * @param max longest delay before jitter
     * @param multiplier growth per attempt, at least 1
     * @param jitter spread, 0..1
     * @param random uniform numbers in [0, 1)
     */
    public Backoff(
            Duration initial,
            Duration max,
            double multiplier,
            double jitter,
            DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * The delay before attempt {@code attempt} (0 is the first retry).
     *
     * @param attempt 0-based attempt number
     * @return the delay, never negative
     */
    public Duration delay(int attempt) {
        double base = initialNanos * Math.pow(multiplier, Math.min(attempt, 64));
        double capped = Math.min(base, (double) maxNanos);
        double spread = 1.0 + jitter * (random.getAsDouble() * 2.0 - 1.0);
        return Duration.ofNanos(Math.max(0L, (long) (capped * spread)));
    }
}
