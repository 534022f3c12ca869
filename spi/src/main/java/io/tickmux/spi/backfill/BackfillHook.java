package io.tickmux.spi.backfill;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.TickListener;
import java.util.List;

/**
 * Fills a gap from another source, for example the Massive REST API's trades and quotes for the
 * gap's ticker and span. The feed has no replay, so this is the only way to recover what a lost
 * socket missed.
 *
 * <p>The hook fetches; the manager delivers. Each recovered event goes through {@link
 * Recovered#deliver}, which drops what the listener already received live at the gap's edges and
 * hands the rest to {@link TickListener#onBackfill}. When the hook returns, the manager publishes a
 * {@link StatusEvent.Backfill} with the outcome, counts it in its meters and shows it in health.
 *
 * <p>Called on its own thread ({@code tickmux-backfill}), one gap at a time, in the order gaps were
 * reported; it may block (a REST call). Gaps arriving while the queue is full are dropped, counted
 * and reported as unfilled; an exception is counted, logged and reported as unfilled, and the next
 * gap still runs.
 */
@FunctionalInterface
public interface BackfillHook {

    /**
     * Fills one gap.
     *
     * @param gap the ticker, the connection that was carrying it, and the uncovered span
     * @param recovered where the recovered events go, in time order
     * @return what became of the gap
     * @throws Exception when the backfill failed; logged, counted and reported as unfilled
     */
    Result backfill(StatusEvent.Gap gap, Recovered recovered) throws Exception;

    /** The manager's side of one gap's backfill. Used on the hook's thread only. */
    interface Recovered {

        /**
         * Delivers recovered events of the gap's ticker, in time order: each one the listener did
         * not already receive live (a trade by exchange and trade id, a quote by sequence number)
         * goes to {@link TickListener#onBackfill}, on the calling thread. Events of another ticker
         * or outside the gap's span are dropped.
         *
         * @param events the events; may be empty
         * @return how many were delivered
         */
        int deliver(List<? extends MarketEvent> events);

        /**
         * @return whether the gap's ticker is still subscribed; a hook may stop early when not
         */
        boolean wanted();

        /**
         * Whether the listener has received events of a kind for the gap's ticker live (trades and
         * quotes are tracked), so a hook fetches only what the ticker streams: quotes for a ticker
         * on a connection subscribed to trades only would be events nobody asked for.
         *
         * @param kind {@link EventKind#TRADE} or {@link EventKind#QUOTE}
         * @return {@code true} when such an event arrived live since the ticker was subscribed
         */
        boolean streamed(EventKind kind);
    }

    /**
     * What the hook made of a gap.
     *
     * @param outcome filled, partly filled or unfilled
     * @param pages requests that returned data
     * @param detail what was left out and why; empty when filled
     */
    record Result(StatusEvent.Backfill.Outcome outcome, int pages, String detail) {
        public Result {
            requireNonNull(outcome, "outcome is null");
            detail = detail == null ? "" : detail;
        }

        /**
         * @param pages pages fetched
         * @return everything was fetched
         */
        public static Result filled(int pages) {
            return new Result(StatusEvent.Backfill.Outcome.FILLED, pages, "");
        }

        /**
         * @param detail why nothing was recovered
         * @return nothing was recovered
         */
        public static Result unfilled(String detail) {
            return new Result(StatusEvent.Backfill.Outcome.UNFILLED, 0, detail);
        }
    }
}
