/**
 * The transport SPI: what a transport implements to carry one connection's socket ({@link
 * io.tickmux.spi.transport.TransportFactory}, {@link io.tickmux.spi.transport.TransportConnection})
 * and how it reports back ({@link io.tickmux.spi.transport.TransportListener}). Depends on the JDK,
 * Typesafe Config and {@code io.tickmux.spi.event} only; the manager owns the reconnect policy.
 */
package io.tickmux.spi.transport;
