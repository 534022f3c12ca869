package io.tickmux.transport.mock.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;

/**
 * How a mock socket ends, as the host hears it in {@link TransportListener#onDisconnected}.
 *
 * @param reason why
 * @param code the WebSocket close code, or -1 when the socket never opened
 * @param detail the words that go with it
 */
public record Disconnect(DisconnectReason reason, int code, String detail) {

    /**
     * @param reason why
     * @param code the close code
     * @param detail the words
     */
    public Disconnect {
        requireNonNull(reason, "reason is null");
        requireNonNull(detail, "detail is null");
    }

    /**
     * A refused connect attempt: a failed authentication closes with 1006, any other refusal ends
     * before a socket opened (-1).
     *
     * @param reason the refusal
     * @return the disconnect
     */
    public static Disconnect refused(DisconnectReason reason) {
        return reason == DisconnectReason.AUTH_FAILED
                ? new Disconnect(reason, 1006, "authentication failed")
                : new Disconnect(reason, -1, "connection refused by mock");
    }

    /**
     * The server closes with a close code: 1000 and 1001 are clean, 1008 is policy, anything else
     * counts as an abort.
     *
     * @param code the close code
     * @param detail the close reason
     * @return the disconnect
     */
    public static Disconnect closedByServer(int code, String detail) {
        DisconnectReason reason =
                switch (code) {
                    case 1000, 1001 -> DisconnectReason.CLEAN_CLOSE;
                    case 1008 -> DisconnectReason.POLICY;
                    default -> DisconnectReason.ABORT;
                };
        return new Disconnect(reason, code, detail);
    }

    /**
     * Tells the host.
     *
     * @param listener the host's listener
     */
    public void deliverTo(TransportListener listener) {
        listener.onDisconnected(reason, code, detail);
    }
}
