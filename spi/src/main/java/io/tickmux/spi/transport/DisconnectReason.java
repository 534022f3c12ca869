package io.tickmux.spi.transport;

/** Why a transport connection ended. The manager's reconnect policy keys on it. */
public enum DisconnectReason {
    /** The server closed cleanly (close code 1000 or 1001). Reconnect with backoff. */
    CLEAN_CLOSE,
    /** The socket died without a close frame (1006) or a read failed. Reconnect with backoff. */
    ABORT,
    /** The server closed with a policy violation (1008) for a reason other than eviction. */
    POLICY,
    /** The socket could not be opened at all (refused, DNS, TLS, connect timeout). */
    CONNECT_FAILED,
    /** Nothing was read within the read deadline; the transport gave up on the socket. */
    READ_TIMEOUT,
    /**
     * Authentication failed ({@code auth_failed}) or was not answered in time. Terminal: the
     * manager does not retry with the same key.
     */
    AUTH_FAILED,
    /**
     * The server evicted the connection because the account's connection limit was exceeded ({@code
     * max_connections}). The manager waits out a long cooldown.
     */
    EVICTED,
    /** The server dropped a consumer that read too slowly ({@code slow_consumer}). */
    SLOW_CONSUMER,
    /** The host asked the transport to close. No reconnect. */
    CLOSED_BY_CLIENT
}
