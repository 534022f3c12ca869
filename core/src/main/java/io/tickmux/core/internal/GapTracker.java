package io.tickmux.core.internal;

import io.tickmux.spi.event.StatusEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * When each ticker stopped being covered, and the {@link StatusEvent.Gap} reported when it is
 * covered again (or unsubscribed). Under the manager's lock.
 *
 * <p>Invariant: a ticker has at most one open gap; a gap is opened only for a ticker that was
 * covered (acknowledged on a connected socket) and is no longer, and it is closed, and reported
 * exactly once, when the ticker is acknowledged again or leaves the book.
 */
final class GapTracker {

    private final Clock clock;
    private final Consumer<StatusEvent> publish;
    private final AtomicLong reported = new AtomicLong();

    GapTracker(Clock clock, Consumer<StatusEvent> publish) {
        this.clock = clock;
        this.publish = publish;
    }

    /**
     * Opens a gap unless one is open.
     *
     * @param e the ticker
     * @param fromMillis when its data stopped (the last event delivered, if known)
     * @param connection the connection it was lost on
     * @param cause why, for the person on call
     */
    void open(TickerEntry e, long fromMillis, String connection, String cause) {
        if (e.gapStartMillis >= 0) {
            return;
        }
        e.gapStartMillis = fromMillis;
        e.gapConnection = connection;
        e.gapCause = cause;
    }

    /**
     * Closes and reports the ticker's gap, if one is open.
     *
     * @param e the ticker
     * @param how how it ended, appended to the cause
     */
    void close(TickerEntry e, String how) {
        if (e.gapStartMillis < 0) {
            return;
        }
        long now = clock.millis();
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        e.symbol,
                        e.gapConnection,
                        Instant.ofEpochMilli(e.gapStartMillis),
                        Instant.ofEpochMilli(Math.max(now, e.gapStartMillis)),
                        e.gapCause + "; " + how,
                        clock.instant());
        e.gapStartMillis = -1;
        reported.incrementAndGet();
        publish.accept(gap);
    }

    /**
     * Follows coverage: a ticker that was covered (a connected socket acknowledged it: owner,
     * secondary or a move's source) and no longer is gets a gap from now, unless one is open
     * already (a lost socket opens its own, from its last event); one covered again has its gap
     * reported. Keeps invariant G: a wanted ticker that was covered and is not has an open gap.
     *
     * @param touched tickers whose placement or acknowledgements changed
     * @param wanted the wanted tickers (others are skipped: an unsubscribed ticker has no gap)
     */
    void sweep(Iterable<TickerEntry> touched, Map<String, TickerEntry> wanted) {
        for (TickerEntry e : touched) {
            if (wanted.get(e.symbol) != e) {
                continue;
            }
            ManagedConnection by =
                    TickerBook.covers(e.owner, e.symbol)
                            ? e.owner
                            : TickerBook.covers(e.secondary, e.symbol)
                                    ? e.secondary
                                    : TickerBook.covers(e.moveFrom, e.symbol) ? e.moveFrom : null;
            if (by != null) {
                if (e.gapStartMillis >= 0) {
                    close(e, "covered again on " + by.id);
                }
                e.covered = true;
                e.coveredBy = by.id;
            } else {
                if (e.covered) {
                    open(
                            e,
                            clock.millis(),
                            e.coveredBy,
                            e.coveredBy + " no longer carries it and no other connection does yet");
                }
                e.covered = false;
            }
        }
    }

    /** Gaps reported since start. */
    long reported() {
        return reported.get();
    }

    AtomicLong counter() {
        return reported;
    }
}
