package io.tickmux.core.internal;

/**
 * An exponentially decaying average of a rate, fed with counter readings. Written by one thread
 * (the sampler), read by any.
 */
public final class DecayingRate {

    private final double halfLifeNanos;
    private long lastCount;
    private long lastNanos = Long.MIN_VALUE;
    private volatile double rate;

    /**
     * @param halfLifeNanos half-life of the average
     */
    public DecayingRate(double halfLifeNanos) {
        this.halfLifeNanos = halfLifeNanos;
    }

    /**
     * Folds in a new reading of a monotonic counter.
     *
     * @param count the counter now
     * @param nowNanos the time now, from a monotonic source
     */
    public void sample(long count, long nowNanos) {
        if (lastNanos == Long.MIN_VALUE) {
            lastNanos = nowNanos;
            lastCount = count;
            return;
        }
        long dt = nowNanos - lastNanos;
        if (dt <= 0) {
            return;
        }
        double instant = (count - lastCount) * 1e9 / dt;
        double alpha = 1.0 - Math.pow(0.5, dt / halfLifeNanos);
        rate = rate + alpha * (instant - rate);
        lastCount = count;
        lastNanos = nowNanos;
    }

    /**
     * @return events per second
     */
    public double perSecond() {
        return rate;
    }
}
