/**
 * Sinks: where the manager's accepted events go besides the tick listener. {@link
 * io.tickmux.core.sink.EventSink} is the manager's hook; {@link io.tickmux.core.sink.Sink} (made by
 * a {@link io.tickmux.core.sink.SinkFactory}, found with ServiceLoader) is the plugin SPI for
 * publishing the feed to a bus, and {@link io.tickmux.core.sink.Sinks} selects, attaches, starts
 * and closes the configured ones ({@code tickmux.sinks = [nats]}).
 */
package io.tickmux.core.sink;
