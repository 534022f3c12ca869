package io.tickmux.spi.transport;

/**
 * One host's transport, made by {@link TransportFactory#create}: it creates the host's connections
 * and owns what they share (a timer's tasks, a parser configuration, a recorder). The host closes
 * it after its connections. Thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * Creates a connection. It does not connect until {@link TransportConnection#connect()}.
     *
     * @param spec id, name and per-connection settings
     * @param listener where the connection reports; never {@code null}
     * @return a new, unconnected connection
     * @throws IllegalStateException when the transport is closed, or the connection cannot be made
     *     with its settings (the message says why)
     */
    TransportConnection create(ConnectionSpec spec, TransportListener listener);

    /**
     * Releases everything the transport started: closes the connections it created that the host
     * left open (each reports {@link DisconnectReason#CLOSED_BY_CLIENT} if it was open), cancels
     * its timers and stops its own threads. Never shuts down {@link TransportContext#scheduler()},
     * which is the host's. Afterwards {@link #create} throws. Idempotent; does not throw.
     */
    @Override
    void close();
}
