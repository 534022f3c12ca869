package io.tickmux.spi.transport;

import io.tickmux.spi.event.MarketEvent;
import java.util.List;

/**
 * What a {@link TransportConnection} reports to its host. Implemented by the manager.
 *
 * <p>A transport calls these methods from its own thread(s), one call at a time per connection and
 * in the order things happened on the wire. Implementations return quickly; only {@link #onEvents}
 * may run user code (in direct dispatch mode).
 */
public interface TransportListener {

    /** The socket is open and authenticated: subscriptions may be sent now. */
    void onConnected();

    /**
     * The connection ended. Called exactly once per successful or failed {@link
     * TransportConnection#connect()}, after which no other call arrives until the next connect.
     *
     * @param reason the classified reason
     * @param closeCode the WebSocket close code, or {@code -1} when there was none
     * @param detail a human description for logs and status; never contains a secret
     */
    void onDisconnected(DisconnectReason reason, int closeCode, String detail);

    /**
     * Market events, in wire order. A frame may arrive in several calls: the Massive transport
     * hands its events over in chunks of at most 8 while it parses, so the first is not held back
     * until the last is parsed.
     *
     * @param events the events; valid only during the call (a transport may reuse the list), never
     *     empty
     */
    void onEvents(List<MarketEvent> events);

    /**
     * Every topic the transport sent for a symbol has been acknowledged by the server.
     *
     * @param symbol the ticker
     * @param subscribed {@code true} for a subscribe ack, {@code false} for an unsubscribe ack
     */
    void onAck(String symbol, boolean subscribed);

    /**
     * The server refused a subscription for a symbol (for example {@code not authorized}).
     *
     * @param symbol the ticker
     * @param reason the server's words
     */
    void onRejected(String symbol, String reason);

    /**
     * The server did not acknowledge a subscription within the transport's ack timeout. Unlike
     * {@link #onRejected}, this is not an answer: the host may send the subscription again later.
     * The default treats it as a refusal.
     *
     * @param symbol the ticker
     * @param detail what was missing and for how long; never contains a secret
     */
    default void onAckTimeout(String symbol, String detail) {
        onRejected(symbol, detail);
    }

    /**
     * The server sent a status message that is neither an ack nor a handshake step.
     *
     * @param status the status word
     * @param message the message
     */
    void onServerStatus(String status, String message);

    /**
     * Something went wrong that did not end the connection (a malformed frame, an unknown event
     * type). The transport skipped it; the manager counts it.
     *
     * @param kind a short stable category, used as a metric tag (e.g. {@code malformed-frame})
     * @param detail a human description; never contains a secret
     */
    void onError(String kind, String detail);
}
