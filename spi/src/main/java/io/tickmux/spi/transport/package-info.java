/**
 * The transport SPI: what a transport implements to carry one connection's socket ({@link
 * io.tickmux.spi.transport.TransportFactory} makes a {@link io.tickmux.spi.transport.Transport}
 * from the host's {@link io.tickmux.spi.transport.TransportContext}; the transport makes each
 * {@link io.tickmux.spi.transport.TransportConnection}) and how it reports back ({@link
 * io.tickmux.spi.transport.TransportListener}). Depends on the JDK, Typesafe Config, Micrometer's
 * {@code MeterRegistry} and {@code io.tickmux.spi.event} only; the manager owns the reconnect
 * policy and the transport's lifecycle.
 */
package io.tickmux.spi.transport;
