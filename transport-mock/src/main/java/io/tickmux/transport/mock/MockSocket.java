package io.tickmux.transport.mock;

import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.internal.Disconnect;
import io.tickmux.transport.mock.internal.SubscriptionBook;
import java.util.Locale;

/**
 * The socket between a mock connection's client side and its scripted server: idle, connecting,
 * open, or closed for good, and whether it counts as open on the transport. Its monitor is the
 * connection's one lock: the server's {@link SubscriptionBook} and connect policy are guarded by it
 * too, and recordings made under it are in step with them. The listener is called outside the lock,
 * on the wire thread. Thread-safe.
 */
final class MockSocket {

    private enum Phase {
        IDLE,
        CONNECTING,
        OPEN,
        CLOSED
    }

    private final String connectionId;
    private final MockTransport owner;
    private final TransportListener listener;
    private final SubscriptionBook book;
    private final RecordedTraffic recorded;

    // guarded by this
    private Phase phase = Phase.IDLE;
    private boolean counted;

    MockSocket(
            String connectionId,
            MockTransport owner,
            TransportListener listener,
            SubscriptionBook book,
            RecordedTraffic recorded) {
        this.connectionId = connectionId;
        this.owner = owner;
        this.listener = listener;
        this.book = book;
        this.recorded = recorded;
    }

    /**
     * The host connects: idle to connecting, one more socket open on the transport.
     *
     * @throws IllegalStateException when closed, connecting or open
     */
    void dial() {
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                throw new IllegalStateException("mock connection " + connectionId + " is closed");
            }
            if (phase != Phase.IDLE) {
                throw new IllegalStateException(
                        "mock connection " + connectionId + " is already " + phaseName());
            }
            phase = Phase.CONNECTING;
            counted = true;
            recorded.recordConnectAttempt();
        }
        owner.socketOpened();
    }

    /** The server accepted the attempt: a new session with no subscriptions. */
    synchronized void open() {
        phase = Phase.OPEN;
        recorded.recordSession();
        book.clear();
    }

    synchronized boolean isConnecting() {
        return phase == Phase.CONNECTING;
    }

    synchronized boolean isOpen() {
        return phase == Phase.OPEN;
    }

    synchronized boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    /** The host closed the connection for good: it cannot connect again. */
    synchronized void markClosed() {
        phase = Phase.CLOSED;
    }

    /**
     * @throws IllegalStateException when the socket is not open
     */
    synchronized void requireOpen() {
        if (phase != Phase.OPEN) {
            throw new IllegalStateException(
                    "mock connection "
                            + connectionId
                            + " is not open ("
                            + phaseName()
                            + "): wait for the host to connect before emitting");
        }
    }

    /** Ends the socket as {@link #end} does, if it is connecting or open. On the wire thread. */
    void endIfActive(Disconnect how) {
        synchronized (this) {
            if (phase != Phase.OPEN && phase != Phase.CONNECTING) {
                return;
            }
        }
        end(how);
    }

    /**
     * Ends the socket: back to idle, the server forgets the session's subscriptions, the transport
     * counts the socket closed (once), and the host hears {@code how}. On the wire thread.
     */
    void end(Disconnect how) {
        boolean wasCounted;
        synchronized (this) {
            phase = Phase.IDLE;
            wasCounted = counted;
            counted = false;
            book.clear();
        }
        if (wasCounted) {
            owner.socketClosed();
        }
        how.deliverTo(listener);
    }

    private String phaseName() {
        return phase.name().toLowerCase(Locale.ROOT);
    }
}
