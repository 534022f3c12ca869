package io.tickmux.transport.replay.internal;

import java.time.Duration;

/**
 * When each entry of a recording is due on the {@link Pacer}'s clock: the first when the replay
 * reaches it, each next one after the recorded gap divided by the speed ({@code max}, an infinite
 * speed: at once). Recorded times never go back (an earlier time plays as the latest so far), and
 * time held up playing an entry (at a gate) moves every later entry by as much, so the gaps after
 * it stay whole.
 *
 * <p>Not thread-safe: the replay thread's.
 */
final class Timeline {

    private static final long NONE = Long.MIN_VALUE;

    private final double speed;
    private final Pacer pacer;
    private long first = NONE;
    private long last = NONE;
    private long start;

    /**
     * @param speed 1 real time, N faster, infinity as fast as possible
     * @param pacer the clock entries are due on
     */
    Timeline(double speed, Pacer pacer) {
        this.speed = speed;
        this.pacer = pacer;
    }

    /**
     * Places the next entry.
     *
     * @param unixNanos its recorded receive time
     * @return when it is due on the pacer's clock
     */
    long due(long unixNanos) {
        long t = Math.max(last, unixNanos);
        if (first == NONE) {
            first = t;
            start = pacer.nanoTime();
        }
        last = t;
        return start + (long) ((t - first) / speed);
    }

    /**
     * Moves every later entry: the replay was held up this long.
     *
     * @param nanos on the pacer's clock
     */
    void holdUp(long nanos) {
        start += nanos;
    }

    /**
     * @return the recorded time from the first entry placed to the last
     */
    Duration span() {
        return Duration.ofNanos(first == NONE ? 0 : last - first);
    }
}
