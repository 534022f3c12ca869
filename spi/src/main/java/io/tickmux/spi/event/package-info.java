/**
 * The event model: market events (trades, quotes, aggregates, LULD, imbalances, fair market value)
 * and status events, as immutable values. Depends on the JDK and the router SPI's {@code
 * ConnectionState} only; every other module may depend on it.
 */
package io.tickmux.spi.event;
