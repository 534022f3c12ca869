package io.tickmux.core.internal;

import io.tickmux.routing.TickerView;
import java.util.concurrent.atomic.LongAdder;

/**
 * One subscribed ticker: its metadata, owning connection and message count. The owner is read on
 * the hot path without a lock.
 */
final class TickerEntry {
    final TickerView view;
    final LongAdder messages = new LongAdder();
    final DecayingRate rate;
    volatile ManagerCore.Conn owner;

    /**
     * Non-null while the ticker is on two connections (a make-before-break move) and shortly after.
     */
    volatile Dedup dedup;

    /**
     * Highest trade and quote sequence numbers delivered since the ticker was last (re)subscribed:
     * an event at or below them is a repeat (a duplicated batch) and is dropped. Written by the
     * connection's read thread.
     */
    volatile long lastTradeSequence = -1;

    volatile long lastQuoteSequence = -1;

    /** When the last event arrived, or the ticker was (re)acknowledged; for staleness. */
    volatile long lastEventMillis;

    /**
     * The decaying rate as of the last sample in which the ticker had events: its usual pace, which
     * a silence does not erode (the decaying rate itself falls while the ticker is quiet). Written
     * by the sampler.
     */
    volatile double activeRate;

    long lastSampledCount;

    // guarded by the manager's lock
    boolean stale;

    // guarded by the manager's lock
    /** The connection the ticker was failed over from, while it is away from it; else null. */
    ManagerCore.Conn home;

    /** The second connection of a critical ticker (held on two at once); else null. */
    ManagerCore.Conn secondary;

    /** The connection a make-before-break move is leaving, until the new one acknowledges. */
    ManagerCore.Conn moveFrom;

    /** When the ticker stopped being covered (its socket was lost); -1 while covered. */
    long gapStartMillis = -1;

    String gapConnection;
    String gapCause;

    TickerEntry(TickerView view, ManagerCore.Conn owner, double halfLifeNanos) {
        this.view = view;
        this.owner = owner;
        this.rate = new DecayingRate(halfLifeNanos);
    }
}
