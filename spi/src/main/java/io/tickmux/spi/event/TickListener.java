package io.tickmux.spi.event;

import io.tickmux.spi.backfill.BackfillHook;

/**
 * Receives market events. The same listener serves one connection or many: the manager merges the
 * events of all its connections into one stream.
 *
 * <p>In direct dispatch mode it is called on the connection's read thread, so several threads may
 * call it at once (one per connection); in queued mode, on the single dispatch thread. An exception
 * it throws is counted and logged, never allowed to kill a connection.
 */
@FunctionalInterface
public interface TickListener {

    /**
     * One market event.
     *
     * @param event the event; never {@code null}
     */
    void onTick(MarketEvent event);

    /**
     * An event a {@link BackfillHook} recovered for a gap: it happened during {@code gap}, the feed
     * lost it, and it arrives now, late. Called on the {@code tickmux-backfill} thread in either
     * dispatch mode (so, possibly while {@link #onTick} runs on another thread), in time order,
     * each event once; never for an event the listener received live. The default hands it to
     * {@link #onTick}; override it to treat late events apart (e.g. count them into bars but never
     * trade on them). An exception is counted and logged like one from {@link #onTick}.
     *
     * @param event the recovered event; never {@code null}
     * @param gap the gap it fills
     */
    default void onBackfill(MarketEvent event, StatusEvent.Gap gap) {
        onTick(event);
    }
}
