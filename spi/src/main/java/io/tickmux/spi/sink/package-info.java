/**
 * Sinks: where the manager's accepted events go besides the tick listener. {@link
 * io.tickmux.spi.sink.EventSink} is the manager's hook; {@link io.tickmux.spi.sink.Sink} (made by a
 * {@link io.tickmux.spi.sink.SinkFactory}, found with ServiceLoader) is the plugin SPI for
 * publishing the feed to a bus. The app module's {@code Sinks} selects, attaches, starts and closes
 * the configured ones ({@code tickmux.sinks = [nats]}).
 */
package io.tickmux.spi.sink;
