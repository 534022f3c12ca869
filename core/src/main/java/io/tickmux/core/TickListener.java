package io.tickmux.core;

import io.tickmux.core.event.MarketEvent;

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
}
