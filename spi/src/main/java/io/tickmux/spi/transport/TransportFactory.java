package io.tickmux.spi.transport;

/**
 * Makes the {@link Transport} of one kind (the real Massive socket, the mock). Discovered with
 * {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.spi.transport.TransportFactory}; configuration selects one by {@link
 * #name()}.
 *
 * <p>ServiceLoader makes a factory with its no-argument constructor, which does no work and starts
 * nothing. The host (the manager) calls {@link #create} once when it is built, with its own
 * configuration, clock, scheduler and meter registry, and closes the transport after its
 * connections when it closes. A factory may be asked for several transports (one per manager); each
 * is independent. Implementations are thread-safe.
 */
public interface TransportFactory {

    /**
     * The name configuration selects this transport by.
     *
     * @return a stable name matching {@code [a-z][a-z0-9-]*}
     */
    String name();

    /**
     * Reads the transport's settings from {@link TransportContext#config()} and makes a transport
     * that has opened nothing yet. Starts no thread of its own unless the transport needs one for
     * its whole life; timers go on {@link TransportContext#scheduler()}.
     *
     * @param context what the host provides; never {@code null}
     * @return a new transport, which the caller closes
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem of the transport's
     *     settings at once
     */
    Transport create(TransportContext context);
}
