package io.tickmux.spi.transport;

/**
 * Creates connections of one kind of transport (the real Massive socket, the mock). Discovered with
 * {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.spi.transport.TransportFactory}; configuration selects one by {@link
 * #name()}.
 *
 * <p>Implementations are thread-safe.
 */
public interface TransportFactory {

    /**
     * The name configuration selects this transport by.
     *
     * @return a stable name matching {@code [a-z][a-z0-9-]*}
     */
    String name();

    /**
     * Creates a connection. It does not connect until {@link TransportConnection#connect()}.
     *
     * @param spec id, name and per-connection settings
     * @param listener where the connection reports; never {@code null}
     * @return a new, unconnected connection
     */
    TransportConnection create(ConnectionSpec spec, TransportListener listener);

    /**
     * This transport configured from an application's configuration. ServiceLoader makes factories
     * with their no-argument constructor; the host then calls this with the whole configuration.
     * The default returns {@code this} (a transport with no settings).
     *
     * @param root the whole configuration
     * @return a factory using it
     * @throws io.tickmux.spi.config.TickmuxConfigException when its settings are invalid
     */
    default TransportFactory configure(com.typesafe.config.Config root) {
        return this;
    }
}
