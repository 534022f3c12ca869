package io.tickmux.transport.mock;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.OpenConnections;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scriptable in-memory transport, in the spirit of OkHttp's MockWebServer: the test plays the
 * server. Script what each connection's server sends ({@link MockConnection#emit}, acks, status
 * messages), make it fail ({@link MockConnection#drop}, {@link MockConnection#evict}, {@link
 * MockConnection#mute}, refused connects and auth, refused subscriptions, held, reordered and
 * timed-out acks), heal the faults again, and inspect every subscription change it was sent ({@link
 * MockConnection#changes()}).
 *
 * <p>Each connection has one "wire" thread ({@code tickmux-mock-<id>}) that makes every listener
 * call in order, like a socket's read thread. Scripted actions are queued on it; when its bounded
 * queue is full the scripting thread waits, as a socket backs up. Named {@code mock} for
 * configuration. Thread-safe.
 *
 * <p>This object is the test's handle: give it to the manager builder, which makes its {@link
 * Transport} from it, and script and inspect the connections the manager creates through it ({@link
 * #connection(String)}). Each transport made from it creates its connections here and, when closed,
 * closes those the host has not closed; the handle outlives them.
 */
public final class MockTransport implements TransportFactory {

    /** The name configuration selects this transport by. */
    public static final String NAME = "mock";

    private final Clock clock;
    private final Map<String, MockConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, String> rejections = new ConcurrentHashMap<>();
    private final Object socketLock = new Object();
    private volatile boolean autoAck = true;
    private int openSockets;
    private int maxOpenSockets;

    /** A mock on the system clock. Used by {@link java.util.ServiceLoader}. */
    public MockTransport() {
        this(Clock.systemUTC());
    }

    /**
     * @param clock the clock for subscription records and scripted event times
     */
    public MockTransport(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Whether connections created from now on acknowledge every subscription at once (the default).
     * With {@code false}, acknowledge by hand with {@link MockConnection#ackPending()}.
     *
     * @param on the new default
     * @return this
     */
    public MockTransport autoAck(boolean on) {
        this.autoAck = on;
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads no settings; the transport uses this handle's clock.
     */
    @Override
    public Transport create(TransportContext context) {
        return new HostTransport();
    }

    /**
     * Creates a connection as a host's transport does, for a test that drives a connection without
     * a manager. A connection with the same id made earlier is replaced and closed.
     *
     * @param spec id, name and per-connection settings
     * @param listener where the connection reports; never {@code null}
     * @return a new, unconnected connection
     */
    public MockConnection create(ConnectionSpec spec, TransportListener listener) {
        MockConnection c = new MockConnection(this, spec, listener, clock, autoAck);
        MockConnection old = connections.put(spec.id(), c);
        if (old != null) {
            old.close();
        }
        return c;
    }

    /**
     * The connection with an id, as the host created it.
     *
     * @param id connection id
     * @return the connection
     * @throws IllegalArgumentException when no connection with that id was created
     */
    public MockConnection connection(String id) {
        MockConnection c = connections.get(id);
        if (c == null) {
            throw new IllegalArgumentException(
                    "no mock connection '" + id + "'; created so far: " + connections.keySet());
        }
        return c;
    }

    /**
     * Every connection created, in no particular order.
     *
     * @return a snapshot
     */
    public List<MockConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    /**
     * Every connection's server, those created later included, refuses subscriptions of a symbol
     * (e.g. {@code not authorized}) until {@link #unrejectSubscription}. A connection's own {@link
     * MockConnection#rejectSubscription} takes precedence.
     *
     * @param symbol the ticker
     * @param reason the server's words
     * @return this
     */
    public MockTransport rejectSubscription(String symbol, String reason) {
        rejections.put(requireNonNull(symbol, "symbol is null"), requireNonNull(reason, "reason"));
        return this;
    }

    /**
     * Lifts a rejection made with {@link #rejectSubscription}.
     *
     * @param symbol the ticker
     * @return this
     */
    public MockTransport unrejectSubscription(String symbol) {
        rejections.remove(symbol);
        return this;
    }

    /**
     * Every exception the host's listener threw on any connection's wire thread (see {@link
     * MockConnection#listenerErrors()}).
     *
     * @return the exceptions, grouped by connection
     */
    public List<Throwable> listenerErrors() {
        List<Throwable> all = new ArrayList<>();
        for (MockConnection c : connections.values()) {
            all.addAll(c.listenerErrors());
        }
        return all;
    }

    /**
     * Sockets open or opening right now, across all connections.
     *
     * @return the count
     */
    public int openSockets() {
        synchronized (socketLock) {
            return openSockets;
        }
    }

    /**
     * The most sockets open or opening at once since this transport was made.
     *
     * @return the high-water mark
     */
    public int maxOpenSockets() {
        synchronized (socketLock) {
            return maxOpenSockets;
        }
    }

    /**
     * The clock this transport stamps records with.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Waits until every connection's wire thread has run what was queued before this call.
     *
     * @param timeout how long to wait per connection
     */
    public void flush(Duration timeout) {
        for (MockConnection c : connections.values()) {
            c.flush(timeout);
        }
    }

    /** One host's transport: its connections are this handle's, closed with it if still open. */
    private final class HostTransport implements Transport {
        private final OpenConnections open = new OpenConnections("mock");

        @Override
        public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
            open.checkOpen(spec.id());
            return open.track(MockTransport.this.create(spec, listener));
        }

        @Override
        public void close() {
            open.closeAll();
        }
    }

    String rejection(String symbol) {
        return rejections.get(symbol);
    }

    void socketOpened() {
        synchronized (socketLock) {
            openSockets++;
            maxOpenSockets = Math.max(maxOpenSockets, openSockets);
        }
    }

    void socketClosed() {
        synchronized (socketLock) {
            openSockets--;
        }
    }
}
