package io.tickmux.spi.transport;

import java.util.Collection;

/**
 * One connection of a transport: a socket that connects, authenticates, carries subscription
 * changes and closes. Created by {@link Transport#create}.
 *
 * <p>The host keeps the subscription state: a transport only sends what it is told, and after a
 * reconnect the host sends the whole desired set again. All methods are non-blocking and
 * thread-safe; outcomes arrive on the {@link TransportListener}.
 */
public interface TransportConnection extends AutoCloseable {

    /**
     * Opens the socket and authenticates, asynchronously. Reports {@link
     * TransportListener#onConnected()} or {@link TransportListener#onDisconnected}. May be called
     * again after {@code onDisconnected}, to reconnect.
     *
     * @throws IllegalStateException when the connection is already open or connecting, or closed
     */
    void connect();

    /**
     * Subscribes tickers on every channel the connection is configured for. Call only while
     * connected; the transport chunks large sets into several messages.
     *
     * @param symbols tickers; never {@code null}; empty does nothing
     */
    void subscribe(Collection<String> symbols);

    /**
     * Unsubscribes tickers on every configured channel. Call only while connected.
     *
     * @param symbols tickers; never {@code null}; empty does nothing
     */
    void unsubscribe(Collection<String> symbols);

    /**
     * Drops the socket as if the network failed, so the host reconnects. Used for a read deadline
     * the host detects itself and by operators. Reports {@code onDisconnected} if open.
     */
    void abort();

    /**
     * Closes cleanly and for good. Reports {@link DisconnectReason#CLOSED_BY_CLIENT} if it was
     * open. Idempotent.
     */
    @Override
    void close();
}
