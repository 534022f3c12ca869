/**
 * The NATS JetStream sink ({@code tickmux.sinks = [nats]}): publishes every accepted event and
 * status event in the wire format. Depends on core's sink SPI, the wire format and its buffered
 * sink, jnats, Micrometer and slf4j.
 */
package io.tickmux.sink.nats;
