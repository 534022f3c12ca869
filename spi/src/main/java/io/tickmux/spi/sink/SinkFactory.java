package io.tickmux.spi.sink;

import com.typesafe.config.Config;

/**
 * Makes a {@link Sink}. Discovered with {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.spi.sink.SinkFactory} and selected by name from configuration
 * ({@code tickmux.sinks = [nats, redis]}). Implementations are stateless and thread-safe.
 */
public interface SinkFactory {

    /**
     * @return the name configuration selects it by: {@code [a-z][a-z0-9-]*}, e.g. {@code nats}
     */
    String name();

    /**
     * Reads the settings eagerly (every problem reported at once, with its full path, as a {@link
     * io.tickmux.spi.config.TickmuxConfigException}) and makes a sink that is not started yet.
     * Connects to nothing.
     *
     * @param settings the sink's subtree, {@code tickmux.sink.<name>} (its reference.conf merged
     *     in); never {@code null}
     * @param context what the host provides; never {@code null}
     * @return a new sink
     */
    Sink create(Config settings, SinkContext context);
}
