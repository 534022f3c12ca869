package io.tickmux.spi.transport;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections a {@link Transport} made that the host has not closed yet, for a transport's
 * {@link Transport#close()}: it closes the ones the host left open and refuses new ones from then
 * on. A transport calls {@link #checkOpen} before making a connection and hands what it made to
 * {@link #track}; the connection it returns to the host forgets itself when closed.
 *
 * <p>Thread-safe: the host may create and close connections on any thread while another closes the
 * transport; a connection made while the transport closes is closed at once.
 */
public final class OpenConnections {

    private final String transportName;
    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param transportName the transport's name, for the message when a connection is refused
     */
    public OpenConnections(String transportName) {
        this.transportName = requireNonNull(transportName, "transportName is null");
    }

    /**
     * Refuses a new connection once the transport is closed.
     *
     * @param connectionId the connection about to be made
     * @throws IllegalStateException when the transport is closed
     */
    public void checkOpen(String connectionId) {
        if (closed) {
            throw new IllegalStateException(
                    "connection "
                            + connectionId
                            + " not created: the "
                            + transportName
                            + " transport is closed");
        }
    }

    /**
     * Keeps a connection the transport made until the host closes it.
     *
     * @param connection the transport's connection
     * @return what to give the host: the same connection, forgotten here once the host closes it;
     *     already closed when the transport closed meanwhile
     */
    public TransportConnection track(TransportConnection connection) {
        Tracked t = new Tracked(requireNonNull(connection, "connection is null"));
        open.add(t);
        if (closed) { // closed meanwhile: closeAll() may have missed it
            t.close();
        }
        return t;
    }

    /** Closes every connection still open and refuses new ones from now on. Idempotent. */
    public void closeAll() {
        closed = true;
        for (Tracked t : open) {
            t.close();
        }
    }

    /**
     * @return connections made and not closed yet
     */
    public int size() {
        return open.size();
    }

    /**
     * @return whether {@link #closeAll()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /** A connection that forgets itself when closed. */
    private final class Tracked implements TransportConnection {
        private final TransportConnection inner;

        Tracked(TransportConnection inner) {
            this.inner = inner;
        }

        @Override
        public void connect() {
            inner.connect();
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            inner.subscribe(symbols);
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            inner.unsubscribe(symbols);
        }

        @Override
        public void abort() {
            inner.abort();
        }

        @Override
        public void close() {
            open.remove(this);
            inner.close();
        }
    }
}
