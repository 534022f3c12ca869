package io.tickmux.core.internal;

import java.util.Arrays;

/**
 * The last few sequence numbers of one ticker and kind delivered from one socket, to tell an exact
 * repeat (a duplicated batch: drop it) from an out-of-order arrival (a real print that came late:
 * deliver it and count it). Massive's sequence numbers increase per ticker with gaps, so only a
 * number already seen is a repeat. Written by one read thread at a time; {@link #reset()} runs
 * under the manager's lock when the ticker starts a new session.
 */
final class SequenceWindow {

    /** A sequence above every one seen. */
    static final int IN_ORDER = 0;

    /** A sequence below the highest seen, not seen before. */
    static final int OUT_OF_ORDER = 1;

    /** A sequence seen already. */
    static final int REPEAT = 2;

    private static final int SIZE = 16; // a power of two
    private static final long NONE = Long.MIN_VALUE;

    private final long[] seen = new long[SIZE];
    private int next;
    private long max = NONE;

    SequenceWindow() {
        Arrays.fill(seen, NONE);
    }

    /**
     * Records a sequence number.
     *
     * @param sequence a non-negative sequence number
     * @return {@link #IN_ORDER}, {@link #OUT_OF_ORDER} or {@link #REPEAT}
     */
    int observe(long sequence) {
        if (sequence > max) {
            max = sequence;
            remember(sequence);
            return IN_ORDER;
        }
        for (long s : seen) {
            if (s == sequence) {
                return REPEAT;
            }
        }
        remember(sequence);
        return OUT_OF_ORDER;
    }

    private void remember(long sequence) {
        seen[next] = sequence;
        next = (next + 1) & (SIZE - 1);
    }

    /** Forgets everything: the next sequence is in order. */
    void reset() {
        Arrays.fill(seen, NONE);
        max = NONE;
    }
}
