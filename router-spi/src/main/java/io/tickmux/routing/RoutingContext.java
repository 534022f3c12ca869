package io.tickmux.routing;

import java.time.Clock;
import java.util.Optional;

/**
 * Services the host offers a router when it is created. Implemented by the host; a router never
 * implements it, except in its own tests.
 *
 * <p>Thread-safe.
 */
public interface RoutingContext {

    /**
     * The host's clock, for routers that need time (for example to age measurements).
     *
     * @return the clock; never {@code null}
     */
    Clock clock();

    /**
     * The most connections the host will ever run at once.
     *
     * @return at least 1
     */
    int maxConnections();

    /**
     * The metadata the host holds for a ticker (tier, sector, tags), from configuration or a
     * universe source.
     *
     * @param symbol a ticker symbol
     * @return the metadata, or empty when the host knows nothing of the ticker
     */
    Optional<TickerView> ticker(String symbol);
}
