/**
 * The transport SPI: what a transport implements to carry one connection's socket ({@link
 * io.tickmux.core.transport.TransportFactory}, {@link
 * io.tickmux.core.transport.TransportConnection}) and how it reports back ({@link
 * io.tickmux.core.transport.TransportListener}). Depends on the JDK, Typesafe Config and {@code
 * io.tickmux.core.event} only; the manager owns the reconnect policy.
 */
package io.tickmux.core.transport;
