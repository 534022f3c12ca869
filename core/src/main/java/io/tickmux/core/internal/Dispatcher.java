package io.tickmux.core.internal;

import io.tickmux.spi.event.MarketEvent;

/** Hands market events to the tick listener. Implementations are thread-safe. */
public interface Dispatcher extends AutoCloseable {

    /**
     * Delivers or queues one event. Called on read threads; never throws.
     *
     * @param event the event
     */
    void dispatch(MarketEvent event);

    /**
     * Forgets per-ticker state for a ticker no longer subscribed. Called under the manager's lock;
     * an event for it still in flight may recreate that state.
     *
     * @param symbol the ticker
     */
    default void forget(String symbol) {}

    /**
     * Events waiting in the queue.
     *
     * @return 0 for direct dispatch
     */
    int queueDepth();

    /**
     * Events dropped by the overflow policy since start.
     *
     * @return the count
     */
    long dropped();

    /** Stops the dispatch thread, if any; queued events are delivered first, up to a bound. */
    @Override
    void close();
}
