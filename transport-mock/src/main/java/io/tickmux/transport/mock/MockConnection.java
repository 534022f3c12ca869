package io.tickmux.transport.mock;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.internal.ConnectPolicy;
import io.tickmux.transport.mock.internal.Disconnect;
import io.tickmux.transport.mock.internal.SubscriptionBook;
import io.tickmux.transport.mock.internal.Wire;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One mock connection, in three parts as in MockWebServer: this class is the client side the host
 * drives ({@link TransportConnection}: connect, subscribe, unsubscribe, abort, close); {@link
 * #server()} is the server side a test scripts (events, faults, acks); {@link #recorded()} is what
 * the connection was asked to do and did, which a test asserts on. Every listener call happens on
 * this connection's wire thread ({@code tickmux-mock-<id>}), in the order scripted. Thread-safe.
 *
 * <p>The script and inspection methods here are shortcuts for the same methods of {@link
 * ScriptedServer} and {@link RecordedTraffic}, documented there: {@code c.emit(e)} is {@code
 * c.server().emit(e)}. An exception the host's listener throws is printed and recorded in {@link
 * RecordedTraffic#listenerErrors()}; the wire thread carries on.
 */
public final class MockConnection implements TransportConnection {

    private final ConnectionSpec spec;
    private final Wire wire;
    private final MockSocket socket;
    private final ServerAnswers answers;
    private final ScriptedServer server;
    private final RecordedTraffic recorded;

    MockConnection(
            MockTransport owner,
            ConnectionSpec spec,
            TransportListener listener,
            Clock clock,
            boolean autoAck) {
        this.spec = spec;
        this.recorded = new RecordedTraffic(spec.id(), clock);
        SubscriptionBook book = new SubscriptionBook(autoAck);
        ConnectPolicy policy = new ConnectPolicy();
        this.socket = new MockSocket(spec.id(), owner, listener, book, recorded);
        this.answers =
                new ServerAnswers(socket, book, policy, recorded, listener, owner::rejection);
        this.wire = new Wire(spec.id(), recorded::recordListenerError);
        this.server = new ScriptedServer(socket, book, policy, wire, recorded, listener);
    }

    /**
     * @return the connection's id
     */
    public String id() {
        return spec.id();
    }

    /**
     * @return the spec the host created the connection with
     */
    public ConnectionSpec spec() {
        return spec;
    }

    /**
     * @return the server side, which a test scripts
     */
    public ScriptedServer server() {
        return server;
    }

    /**
     * @return what the connection was asked to do and did, which a test asserts on
     */
    public RecordedTraffic recorded() {
        return recorded;
    }

    // ------------------------------------------------------------ client side (the host)

    @Override
    public void connect() {
        socket.dial();
        wire.enqueue(answers::answerConnect);
    }

    @Override
    public void subscribe(Collection<String> symbols) {
        send(true, symbols);
    }

    @Override
    public void unsubscribe(Collection<String> symbols) {
        send(false, symbols);
    }

    private void send(boolean subscribe, Collection<String> symbols) {
        if (symbols.isEmpty()) {
            return;
        }
        List<String> copy = List.copyOf(symbols);
        wire.enqueue(() -> answers.answerChange(subscribe, copy));
    }

    @Override
    public void abort() {
        Disconnect how = new Disconnect(DisconnectReason.ABORT, 1006, "aborted by client");
        wire.enqueue(() -> socket.endIfActive(how));
    }

    @Override
    public void close() {
        if (socket.isClosed()) {
            return;
        }
        Disconnect how =
                new Disconnect(DisconnectReason.CLOSED_BY_CLIENT, 1000, "closed by client");
        wire.enqueue(
                () -> {
                    socket.endIfActive(how);
                    socket.markClosed();
                });
        wire.stop();
    }

    // ------------------------------------------------------------ shortcuts: the server

    /** Sends one frame of events: {@link ScriptedServer#emit(MarketEvent...)}. */
    public void emit(MarketEvent... events) {
        server.emit(events);
    }

    /** Sends one frame of events: {@link ScriptedServer#emit(List)}. */
    public void emit(List<? extends MarketEvent> events) {
        server.emit(events);
    }

    /** Aborts the socket from the server: {@link ScriptedServer#drop()}. */
    public void drop() {
        server.drop();
    }

    /** Closes the socket from the server: {@link ScriptedServer#closeFromServer(int, String)}. */
    public void closeFromServer(int code, String reason) {
        server.closeFromServer(code, reason);
    }

    /** A {@code max_connections} eviction: {@link ScriptedServer#evict()}. */
    public void evict() {
        server.evict();
    }

    /** Mutes the server, or lets it speak again: {@link ScriptedServer#mute(boolean)}. */
    public void mute(boolean on) {
        server.mute(on);
    }

    /** Refuses connect attempts: {@link ScriptedServer#refuseNextConnects}. */
    public void refuseNextConnects(int count, DisconnectReason reason) {
        server.refuseNextConnects(count, reason);
    }

    /** Fails authentication from now on: {@link ScriptedServer#rejectAuth()}. */
    public void rejectAuth() {
        server.rejectAuth();
    }

    /** Refuses subscriptions of a symbol: {@link ScriptedServer#rejectSubscription}. */
    public void rejectSubscription(String symbol, String reason) {
        server.rejectSubscription(symbol, reason);
    }

    /** Accepts a refused symbol again: {@link ScriptedServer#unrejectSubscription}. */
    public void unrejectSubscription(String symbol) {
        server.unrejectSubscription(symbol);
    }

    /** Accepts every refused symbol again: {@link ScriptedServer#unrejectAllSubscriptions()}. */
    public Set<String> unrejectAllSubscriptions() {
        return server.unrejectAllSubscriptions();
    }

    /** Authentication passes again: {@link ScriptedServer#allowAuth()}. */
    public void allowAuth() {
        server.allowAuth();
    }

    /** Forgets queued connect refusals: {@link ScriptedServer#acceptConnects()}. */
    public void acceptConnects() {
        server.acceptConnects();
    }

    /** Unsubscribes go unacknowledged: {@link ScriptedServer#dropUnsubscribeAcks(boolean)}. */
    public void dropUnsubscribeAcks(boolean on) {
        server.dropUnsubscribeAcks(on);
    }

    /** Whether subscriptions are acknowledged at once: {@link ScriptedServer#autoAck(boolean)}. */
    public void autoAck(boolean on) {
        server.autoAck(on);
    }

    /** Releases every held ack, in order: {@link ScriptedServer#ackPending()}. */
    public void ackPending() {
        server.ackPending();
    }

    /** Releases every held ack, shuffled: {@link ScriptedServer#ackPendingShuffled(Random)}. */
    public void ackPendingShuffled(Random random) {
        server.ackPendingShuffled(random);
    }

    /**
     * Releases some held acks, shuffled: {@link ScriptedServer#ackPendingShuffled(Random, int)}.
     */
    public void ackPendingShuffled(Random random, int max) {
        server.ackPendingShuffled(random, max);
    }

    /** Times out every held ack: {@link ScriptedServer#timeOutPendingAcks()}. */
    public void timeOutPendingAcks() {
        server.timeOutPendingAcks();
    }

    /** Sends a status message: {@link ScriptedServer#sendStatus(String, String)}. */
    public void sendStatus(String status, String message) {
        server.sendStatus(status, message);
    }

    /** Reports a non-fatal transport error: {@link ScriptedServer#sendError(String, String)}. */
    public void sendError(String kind, String detail) {
        server.sendError(kind, detail);
    }

    /** Whether the socket is open: {@link ScriptedServer#isOpen()}. */
    public boolean isOpen() {
        return server.isOpen();
    }

    /** The server's subscriptions now: {@link ScriptedServer#serverSubscriptions()}. */
    public Set<String> serverSubscriptions() {
        return server.serverSubscriptions();
    }

    /** Subscriptions with held acks: {@link ScriptedServer#unackedSubscriptions()}. */
    public Set<String> unackedSubscriptions() {
        return server.unackedSubscriptions();
    }

    /** Waits for the wire thread: {@link ScriptedServer#flush(Duration)}. */
    public void flush(Duration timeout) {
        server.flush(timeout);
    }

    // ------------------------------------------------------------ shortcuts: the recording

    /** How many times {@link #connect()} was called: {@link RecordedTraffic#connectAttempts()}. */
    public int connectAttempts() {
        return recorded.connectAttempts();
    }

    /** How many sessions opened: {@link RecordedTraffic#sessions()}. */
    public int sessions() {
        return recorded.sessions();
    }

    /** Exceptions the host's listener threw: {@link RecordedTraffic#listenerErrors()}. */
    public List<Throwable> listenerErrors() {
        return recorded.listenerErrors();
    }

    /** Every subscription message received: {@link RecordedTraffic#changes()}. */
    public List<SubscriptionChange> changes() {
        return recorded.changes();
    }

    /** Every event delivered to the host: {@link RecordedTraffic#delivered()}. */
    public List<MarketEvent> delivered() {
        return recorded.delivered();
    }

    /** Waits for the next subscription message: {@link RecordedTraffic#takeChange(Duration)}. */
    public SubscriptionChange takeChange(Duration timeout) {
        return recorded.takeChange(timeout);
    }

    /** Events discarded while muted: {@link RecordedTraffic#mutedEvents()}. */
    public long mutedEvents() {
        return recorded.mutedEvents();
    }

    /** Events for unsubscribed symbols: {@link RecordedTraffic#skippedUnsubscribed()}. */
    public long skippedUnsubscribed() {
        return recorded.skippedUnsubscribed();
    }
}
