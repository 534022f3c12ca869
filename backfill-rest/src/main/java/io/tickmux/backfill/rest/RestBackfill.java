package io.tickmux.backfill.rest;

import io.tickmux.backfill.rest.internal.GapFetcher;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.event.StatusEvent;
import java.time.Clock;

/**
 * Fills a gap from the Massive REST API: the gap's trades ({@code GET /v3/trades/{ticker}}) and
 * quotes ({@code GET /v3/quotes/{ticker}}), for the channels the ticker streamed, with {@code
 * timestamp.gte}/{@code timestamp.lte} on the gap's span, {@code order=asc}, paged through {@code
 * next_url}, merged in time order and handed to the manager, which drops what arrived live and
 * delivers the rest to {@link io.tickmux.spi.event.TickListener#onBackfill}.
 *
 * <p>A request budget (requests per minute across gaps, pages per gap, a gap's age and span) bounds
 * the work; 429s and 5xx answers are retried with exponential backoff that honours Retry-After. A
 * gap the budget cannot cover is reported unfilled or partly filled with the reason, never retried
 * later. Chosen from configuration with {@code tickmux.app.backfill = rest}; in code:
 *
 * <pre>{@code
 * MultiConnectionManager.builder()
 *         .backfill(new RestBackfill(RestBackfillSettings.defaults()))
 *         ...
 * }</pre>
 *
 * <p>Used by the manager's one backfill thread.
 */
public final class RestBackfill implements BackfillHook {

    private final GapFetcher fetcher;

    /**
     * @param settings the settings
     */
    public RestBackfill(RestBackfillSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param settings the settings
     * @param clock wall-clock time, to tell a gap's age and when its delay is over
     */
    public RestBackfill(RestBackfillSettings settings, Clock clock) {
        this.fetcher = new GapFetcher(settings, clock);
    }

    @Override
    public Result backfill(StatusEvent.Gap gap, Recovered recovered) throws InterruptedException {
        return fetcher.fill(gap, recovered);
    }
}
