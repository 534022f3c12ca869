package io.tickmux.routing;

/**
 * The life-cycle state of one connection, as the host and routers see it.
 *
 * <p>A router should place tickers only on connections whose state {@link #isRoutable() is
 * routable}: those that are streaming or expected to stream again. Tickers placed on a connection
 * that is not yet connected are subscribed as soon as it is.
 */
public enum ConnectionState {
    /** Created but never started. Routable: its tickers are sent when it connects. */
    NEW,
    /** A socket is being opened or authenticated. */
    CONNECTING,
    /** Authenticated and streaming; subscription changes are sent at once. */
    CONNECTED,
    /** The socket was lost; a reconnect is scheduled with backoff. */
    RECONNECTING,
    /**
     * The server evicted the connection because the account's connection limit was exceeded; it
     * waits out a long cooldown before trying again. Not routable.
     */
    COOLDOWN,
    /** Terminal: authentication failed or was refused. Not routable. */
    FAILED,
    /** Terminal: removed or stopped by the host. Not routable. */
    CLOSED;

    /**
     * Whether a router may place tickers on a connection in this state.
     *
     * @return {@code true} for {@link #NEW}, {@link #CONNECTING}, {@link #CONNECTED} and {@link
     *     #RECONNECTING}
     */
    public boolean isRoutable() {
        return switch (this) {
            case NEW, CONNECTING, CONNECTED, RECONNECTING -> true;
            case COOLDOWN, FAILED, CLOSED -> false;
        };
    }

    /**
     * Whether this state is final: the connection will never carry data again.
     *
     * @return {@code true} for {@link #FAILED} and {@link #CLOSED}
     */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
