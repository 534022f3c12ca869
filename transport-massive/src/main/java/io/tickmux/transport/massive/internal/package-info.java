/**
 * The Massive transport's implementation: one connection's socket and protocol, frame limits, the
 * frame parser and the chunks it hands to the manager. Not API: only {@code
 * io.tickmux.transport.massive} may use it. May depend on core's transport SPI and event model,
 * Java-WebSocket, Jackson and slf4j.
 */
package io.tickmux.transport.massive.internal;
