/**
 * The transport SPI: what a transport implements to carry one connection's socket ({@link
 * io.tickmux.core.transport.TransportFactory} makes a {@link io.tickmux.core.transport.Transport}
 * from the host's {@link io.tickmux.core.transport.TransportContext}; the transport makes each
 * {@link io.tickmux.core.transport.TransportConnection}) and how it reports back ({@link
 * io.tickmux.core.transport.TransportListener}). Depends on the JDK, Typesafe Config, Micrometer's
 * {@code MeterRegistry} and {@code io.tickmux.core.event} only; the manager owns the reconnect
 * policy and the transport's lifecycle.
 */
package io.tickmux.core.transport;
