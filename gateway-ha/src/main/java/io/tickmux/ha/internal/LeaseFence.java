package io.tickmux.ha.internal;

import io.tickmux.spi.sink.Fence;

/**
 * The fence of one held lease: valid until its local deadline (monotonic clock) or until revoked;
 * once invalid, never valid again. The deadline only moves forward, and only while still valid.
 */
public final class LeaseFence implements Fence {

    private final long epoch;
    private volatile long deadlineNanos;
    private volatile boolean revoked;

    /**
     * @param epoch the lease's epoch (the revision at acquisition)
     * @param deadlineNanos {@link System#nanoTime()} at which the lease is lost by the local clock
     */
    public LeaseFence(long epoch, long deadlineNanos) {
        this.epoch = epoch;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public boolean valid() {
        return !revoked && System.nanoTime() - deadlineNanos < 0;
    }

    /**
     * Moves the deadline after a successful renewal, unless the lease is already invalid.
     *
     * @param newDeadlineNanos the new deadline ({@link System#nanoTime()})
     * @return whether it moved
     */
    public synchronized boolean extend(long newDeadlineNanos) {
        if (!valid() || newDeadlineNanos - deadlineNanos <= 0) {
            return valid();
        }
        deadlineNanos = newDeadlineNanos;
        return true;
    }

    /** Makes the fence invalid for good. */
    public synchronized void revoke() {
        revoked = true;
    }

    /**
     * @return the local deadline ({@link System#nanoTime()})
     */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public String toString() {
        return "lease epoch " + epoch + (valid() ? " (valid)" : " (invalid)");
    }
}
