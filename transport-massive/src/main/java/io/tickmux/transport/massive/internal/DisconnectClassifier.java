package io.tickmux.transport.massive.internal;

import io.tickmux.spi.transport.DisconnectReason;
import java.net.URI;
import java.util.Optional;
import org.java_websocket.framing.CloseFrame;

/**
 * Why one socket ended, as the host's {@code onDisconnected} is told. An end decided on this side
 * ({@link #endedLocally}) or announced by the server before it closes ({@link #announced}) is the
 * reason; else the close code: 1000 and 1001 a clean close, 1008 a policy close, anything else an
 * abort, and a frame over {@code max-frame-size} refused by this side an abort that is also an
 * error. A socket that never opened failed to connect, described by the error the socket reported,
 * else the close reason, else the close code.
 *
 * <p>Thread-safe: told by the read, parsing, timer and host threads.
 */
final class DisconnectClassifier {

    /**
     * Why a socket ended.
     *
     * @param reason the reason
     * @param detail for a person, on one line
     * @param frameTooLarge whether this side refused a frame over {@code max-frame-size}: the host
     *     is also told of it as an error
     */
    record Ending(DisconnectReason reason, String detail, boolean frameTooLarge) {}

    private final URI url;
    private final int maxFrameSize;
    private volatile DisconnectReason localReason;
    private volatile String localDetail;
    private volatile String errorDetail;

    /**
     * @param url the socket's URL, named when it cannot connect
     * @param maxFrameSize the largest message the server may send, in bytes
     */
    DisconnectClassifier(URI url, int maxFrameSize) {
        this.url = url;
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * The server said the socket is about to end, and why; the last such word wins over what came
     * before.
     *
     * @param reason the reason
     * @param detail for a person, on one line
     */
    void announced(DisconnectReason reason, String detail) {
        localReason = reason;
        localDetail = detail;
    }

    /**
     * This side is ending the socket. The first reason stays, except that the host closing the
     * connection wins over any other.
     *
     * @param reason the reason
     * @param detail for a person, on one line
     */
    void endedLocally(DisconnectReason reason, String detail) {
        if (localReason == null || reason == DisconnectReason.CLOSED_BY_CLIENT) {
            localReason = reason;
            localDetail = detail;
        }
    }

    /**
     * The socket reported an error; it describes a failed connect.
     *
     * @param e the error
     * @return the error on one line, for the log
     */
    String error(Exception e) {
        String detail =
                e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + ServerText.oneLine(e.getMessage()));
        errorDetail = detail;
        return detail;
    }

    /**
     * @return whether the socket has reported an error
     */
    boolean errorKnown() {
        return errorDetail != null;
    }

    /**
     * @param opened whether the socket opened
     * @param code the close code
     * @param reason the close reason, as the server sent it; may be {@code null}
     * @param remote whether the server closed it
     * @return why it ended; empty when it never opened and nothing ended it on purpose (a failed
     *     connect: {@link #connectFailed})
     */
    Optional<Ending> closed(boolean opened, int code, String reason, boolean remote) {
        DisconnectReason local = localReason;
        if (local != null) {
            return Optional.of(new Ending(local, localDetail, false));
        }
        if (!opened) {
            return Optional.empty();
        }
        if (code == CloseFrame.TOOBIG && !remote) {
            // Java-WebSocket refused a frame (or the fragments of a message) larger than
            // max-frame-size as its header arrived, before reading it into memory.
            return Optional.of(
                    new Ending(
                            DisconnectReason.ABORT,
                            "frame too large: the server sent a message over max-frame-size = "
                                    + maxFrameSize
                                    + " bytes; connection dropped (1009)",
                            true));
        }
        DisconnectReason r =
                switch (code) {
                    case 1000, 1001 -> DisconnectReason.CLEAN_CLOSE;
                    case 1008 -> DisconnectReason.POLICY;
                    default -> DisconnectReason.ABORT;
                };
        String detail =
                reason == null || reason.isEmpty()
                        ? (remote ? "closed by server" : "closed")
                        : ServerText.oneLine(reason);
        return Optional.of(new Ending(r, detail, false));
    }

    /**
     * @param code the close code
     * @param reason the close reason; may be {@code null}
     * @return the detail of a connect that failed: the error, else the close reason, else the code
     */
    String connectFailed(int code, String reason) {
        String e = errorDetail;
        String why =
                e != null
                        ? e
                        : reason != null && !reason.isEmpty() ? ServerText.oneLine(reason) : "";
        return "could not open "
                + url
                + (why.isEmpty() ? " (close code " + code + ")" : ": " + why);
    }
}
