package io.tickmux.transport.replay.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The clock a replay paces itself by. The system pacer waits for real; a test's pacer moves its own
 * clock to the deadline at once, so a test asserts on when each call was due, not on wall time.
 */
public interface Pacer {

    /**
     * @return now, in nanoseconds
     */
    long nanoTime();

    /**
     * Waits, with the condition's lock held, until {@link #nanoTime()} reaches the deadline or the
     * condition is signalled (new work for the replay thread).
     *
     * @param wakeUp signalled when there is work
     * @param deadline on this clock
     * @throws InterruptedException when the replay is stopped
     */
    void awaitUntil(Condition wakeUp, long deadline) throws InterruptedException;

    /** The system clock; waits for real. */
    Pacer SYSTEM =
            new Pacer() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void awaitUntil(Condition wakeUp, long deadline)
                        throws InterruptedException {
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        wakeUp.await(left, TimeUnit.NANOSECONDS);
                    }
                }
            };
}
