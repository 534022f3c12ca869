package io.tickmux.core.internal;

import io.tickmux.routing.TickerView;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * One wanted ticker: its metadata, where it lives, and its counters. The {@link TickerBook} owns
 * the placement fields; the {@link Ingress} reads {@link #dedup} and writes the counters without a
 * lock.
 */
final class TickerEntry {
    final String symbol;
    final TickerView view;
    final LongAdder messages = new LongAdder();
    final DecayingRate rate;

    /**
     * Non-null while the ticker is on two connections (a move, a critical ticker) and shortly
     * after.
     */
    volatile Dedup dedup;

    /** Trade and quote sequences delivered from one socket, for the repeat filter. */
    final SequenceWindow trades = new SequenceWindow();

    final SequenceWindow quotes = new SequenceWindow();

    /** When the last event arrived, or the ticker was (re)acknowledged; for staleness. */
    volatile long lastEventMillis;

    /**
     * The decaying rate as of the last sample in which the ticker had events: its usual pace, which
     * a silence does not erode. Written by the sampler.
     */
    volatile double activeRate;

    long lastSampledCount;

    // ------------------------------------------------ guarded by the manager's lock

    /** The connection that owns it. Never null; read without the lock by connectionFor. */
    volatile ManagedConnection owner;

    /** The second connection of a critical ticker; else null. */
    ManagedConnection secondary;

    /** The source of a make-before-break move, until the owner acknowledges; else null. */
    ManagedConnection moveFrom;

    /** The connection it was failed over from, while it is away from it; else null. */
    ManagedConnection home;

    /** Whether it should be held on two connections. */
    boolean critical;

    /** Connections that refused it as a second connection, until they reconnect. */
    final Set<String> refusedOn = new HashSet<>(2);

    boolean stale;

    /**
     * Whether a connected socket streamed it at the last sweep, and which. See {@link GapTracker}.
     */
    boolean covered;

    String coveredBy;

    /** When the ticker stopped being covered; -1 while covered. See {@link GapTracker}. */
    long gapStartMillis = -1;

    String gapConnection;
    String gapCause;

    TickerEntry(TickerView view, ManagedConnection owner, double halfLifeNanos) {
        this.symbol = view.symbol();
        this.view = view;
        this.owner = owner;
        this.rate = new DecayingRate(halfLifeNanos);
    }

    /** Whether a connection carries this ticker now: owner, secondary or move source. */
    boolean heldBy(ManagedConnection c) {
        return owner == c || secondary == c || moveFrom == c;
    }

    /** Starts a fresh sequence session: the repeat filter forgets what it saw. */
    void resetSequences() {
        trades.reset();
        quotes.reset();
    }
}
