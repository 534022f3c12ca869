package io.tickmux.spi.sink;

import io.tickmux.spi.event.MarketEvent;
import java.util.List;

/**
 * Receives every market event the manager accepts, in the chunks the transport hands over: after
 * the unwanted-ticker, repeat and dedup filters, just before the tick listener. The hook a sink
 * (NATS, Redis, a recorder) publishes from.
 *
 * <p>Called on the connection's read thread, one call at a time per connection, calls of different
 * connections concurrently. It must return quickly and never block: copy what it needs into a
 * bounded buffer of its own and publish from its own thread. An exception is caught, counted in
 * {@code tickmux.listener.errors{listener=sink}} and logged (rate-limited); the events still reach
 * the tick listener.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * @param connectionId the connection the events arrived on
     * @param events the accepted events of one chunk, in wire order; never empty; valid only during
     *     the call (the list is reused)
     */
    void onEvents(String connectionId, List<MarketEvent> events);
}
