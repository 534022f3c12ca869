package io.tickmux.core;

import io.tickmux.core.event.StatusEvent;

/**
 * Fills a gap from another source, for example the Massive REST API's trades and aggregates for the
 * gap's ticker and span. The feed has no replay, so this is the only way to recover what a lost
 * socket missed.
 *
 * <p>Called on its own thread ({@code tickmux-backfill}), one gap at a time, in the order gaps were
 * reported; it may block (a REST call). Gaps arriving while the queue is full are dropped and
 * counted; an exception is counted and logged, and the next gap still runs.
 */
@FunctionalInterface
public interface BackfillHook {

    /**
     * Fills one gap.
     *
     * @param gap the ticker, the connection that was carrying it, and the uncovered span
     * @throws Exception when the backfill failed; it is logged and counted
     */
    void backfill(StatusEvent.Gap gap) throws Exception;
}
