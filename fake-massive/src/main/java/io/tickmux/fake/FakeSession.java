package io.tickmux.fake;

import io.tickmux.fake.FakeMassiveServer.ConnectionRecord;
import io.tickmux.fake.FakeMassiveServer.EvictionClose;
import io.tickmux.spi.event.MarketEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the {@link FakeMassiveServer}, as the server sees it: its state ({@link
 * #record()}), its fault switches, and, kept by parts of their own, the topics it holds ({@code
 * HeldTopics}), its acks ({@code AckHold}) and its record of what it was sent ({@code SentRecord}).
 * Thread-safe.
 */
public final class FakeSession {

    private static final Logger LOG = LoggerFactory.getLogger(FakeSession.class);

    private final WebSocket socket;
    private final int id;
    private final Instant openedAt;
    private final Clock clock;
    private final FrameSender sender;
    private final HeldTopics topics = new HeldTopics();
    private final AckHold acks = new AckHold(this::send);
    private final SentRecord sent = new SentRecord();

    // guarded by this
    private String path = "";
    private Instant authenticatedAt;
    private Instant closedAt;
    private int openWithKey;
    private boolean evicted;
    private String key;
    private boolean authenticated;
    private boolean muted;
    private boolean duplicateNext;
    private boolean open = true;
    private int closeCode = -1;

    FakeSession(WebSocket socket, int id, Instant openedAt, Clock clock, FrameSender sender) {
        this.socket = socket;
        this.id = id;
        this.openedAt = openedAt;
        this.clock = clock;
        this.sender = sender;
    }

    /**
     * @return the session's number, 1 for the first connection the server accepted
     */
    public int id() {
        return id;
    }

    /**
     * @return when the socket was accepted
     */
    public Instant openedAt() {
        return openedAt;
    }

    /**
     * @return the key the client authenticated with, or {@code null} before auth
     */
    public synchronized String key() {
        return key;
    }

    /**
     * @return whether the client authenticated successfully
     */
    public synchronized boolean authenticated() {
        return authenticated;
    }

    /**
     * @return whether the socket is still open
     */
    public synchronized boolean isOpen() {
        return open;
    }

    /**
     * @return the close code the session ended with (1006 for an abort), or -1 while open
     */
    public synchronized int closeCode() {
        return closeCode;
    }

    /**
     * @return the topics held, e.g. {@code T.AAPL}, {@code Q.*}
     */
    public Set<String> topics() {
        return topics.topics();
    }

    /**
     * The tickers held on at least one channel.
     *
     * @return tickers (a wildcard appears as {@code *})
     */
    public Set<String> tickers() {
        return topics.tickers();
    }

    /**
     * @param ticker a ticker
     * @return events sent to this session for it
     */
    public long sentCount(String ticker) {
        return sent.count(ticker);
    }

    /**
     * @return every event sent to this session, in order (when the server records events)
     */
    public List<MarketEvent> sent() {
        return sent.events();
    }

    /**
     * @return event frames sent
     */
    public long framesSent() {
        return sent.frames();
    }

    // ------------------------------------------------------------ faults

    /** Drops the TCP connection without a close frame; the client sees 1006. */
    public void abort() {
        sender.abortAfterFlush(socket);
    }

    /**
     * Closes with a close frame.
     *
     * @param code close code (1000 clean, 1001 going away, 1008 policy, ...)
     * @param reason close reason
     */
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    /**
     * While muted the socket stays open but the server sends no events and answers no pings.
     *
     * @param on whether to mute
     */
    public synchronized void mute(boolean on) {
        muted = on;
    }

    /**
     * Evicts this session as the account's connection cap would: {@code max_connections}, then
     * 1008.
     */
    public void evict() {
        evict(EvictionClose.POLICY);
    }

    /** Sends a frame that is not valid JSON. */
    public void sendMalformed() {
        send("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1");
    }

    /** Sends the next event frame twice, as a duplicated batch. */
    public synchronized void duplicateNextBatch() {
        duplicateNext = true;
    }

    /**
     * Holds this session's acks: from now on the {@code subscribed to} / {@code unsubscribed to}
     * acks it owes are queued instead of sent, until {@link #releaseAcks()}. The subscriptions
     * themselves take effect at once, so events for a newly subscribed topic flow to the client
     * before it hears the ack (as they may on the real server). A test uses it to keep a
     * make-before-break move in its overlap, with every event sent on both sockets, for as long as
     * it needs instead of hoping some event falls into a short window.
     */
    public void holdAcks() {
        acks.hold();
    }

    /** Sends the held acks, in the order they were owed, and stops holding. */
    public void releaseAcks() {
        acks.release();
    }

    /**
     * @return acks held by {@link #holdAcks()} and not yet released, one per topic
     */
    public int heldAcks() {
        return acks.held();
    }

    // ------------------------------------------------------------ a hostile or broken server

    /**
     * Sends one status object, {@code [{"ev":"status","status":...,"message":...}]}, with any text:
     * a second {@code auth_success}, a message with a newline or control characters.
     *
     * @param status the status word
     * @param message the message
     */
    public void sendStatus(String status, String message) {
        send(EventJson.status(status, message));
    }

    /**
     * Sends a binary frame (the feed sends only text frames).
     *
     * @param payload the frame's bytes
     */
    public void sendBinary(byte[] payload) {
        try {
            socket.send(payload);
        } catch (RuntimeException closed) {
            LOG.warn("fake session {}: binary frame not sent, the socket is closed", id);
        }
    }

    /**
     * Streams one text frame whose header declares {@code bytes} of payload, without holding it:
     * see {@link OversizedMessage}.
     *
     * @param bytes the declared payload size, e.g. 200 MB
     * @return the stream, to see how much was offered before the client closed
     */
    public OversizedMessage sendOversizedMessage(long bytes) {
        return sendOversizedMessage(bytes, bytes);
    }

    /**
     * Streams one text message of {@code bytes} in fragments (a first text frame, then continuation
     * frames) of {@code fragmentBytes} each: every frame may be under a client's frame limit while
     * the message is far over it.
     *
     * @param bytes the message's payload size
     * @param fragmentBytes the payload size of each frame
     * @return the stream
     */
    public OversizedMessage sendOversizedMessage(long bytes, long fragmentBytes) {
        if (bytes < 1 || fragmentBytes < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        return sender.oversized(socket, bytes, fragmentBytes);
    }

    /**
     * Sends events whether or not this session holds their topics, as a broken server would,
     * batched like published events. They are not recorded in {@link #sent()} or {@link
     * #sentCount}; {@link #unaskedSent()} counts them.
     *
     * @param events the events, in order
     */
    public void sendUnasked(List<? extends MarketEvent> events) {
        sender.unasked(this, events);
        sent.unasked(events.size());
    }

    /**
     * @return events sent by {@link #sendUnasked}
     */
    public long unaskedSent() {
        return sent.unasked();
    }

    /** Kills the session as a slow consumer: a {@code slow_consumer} status, then an abort. */
    public void slowConsumerKill() {
        send(EventJson.status("slow_consumer", "Consumer too slow, disconnecting."));
        abort();
    }

    /**
     * Sends a raw text frame.
     *
     * @param text the frame
     */
    public void send(String text) {
        if (!trySend(text)) {
            LOG.warn("fake session {}: frame not sent, the socket is closed", id);
        }
    }

    private boolean trySend(String text) {
        try {
            socket.send(text);
            return true;
        } catch (RuntimeException closed) {
            return false; // the socket closed meanwhile: nothing to send to
        }
    }

    // ------------------------------------------------------------ server side

    /**
     * Evicts this session as the account's connection cap does: {@code max_connections}, then the
     * close the server is configured with.
     */
    void evict(EvictionClose how) {
        send(
                EventJson.status(
                        "max_connections", "Maximum number of websocket connections exceeded."));
        switch (how) {
            case POLICY -> close(1008, "max_connections");
            case CLEAN -> close(1000, "max_connections");
            case ABORT -> abort();
        }
    }

    /** Sends a frame of acks, or holds it while acks are held ({@link AckHold}). */
    void sendAcks(String frame, int acks) {
        this.acks.send(frame, acks);
    }

    synchronized boolean muted() {
        return muted;
    }

    synchronized void authenticated(String key) {
        this.key = key;
        this.authenticated = true;
        this.authenticatedAt = clock.instant();
    }

    synchronized void path(String path) {
        this.path = path;
    }

    synchronized void openWithKey(int n) {
        this.openWithKey = n;
    }

    synchronized void markEvicted() {
        this.evicted = true;
    }

    /**
     * What the server knows of this connection: for checking a connection cap from the server's
     * side (how many connections of one key were open at once) and who held which connection.
     *
     * @return the record
     */
    public synchronized ConnectionRecord record() {
        return new ConnectionRecord(
                id, key, path, openedAt, authenticatedAt, closedAt, openWithKey, evicted);
    }

    synchronized void keyTried(String key) {
        this.key = key;
    }

    boolean addTopic(String topic) {
        return topics.add(topic);
    }

    void removeTopic(String topic) {
        topics.remove(topic);
    }

    boolean wants(String channel, String ticker) {
        return topics.wants(channel, ticker);
    }

    synchronized void closed(int code) {
        open = false;
        closeCode = code;
        if (closedAt == null) {
            closedAt = clock.instant();
        }
    }

    /**
     * Sends one frame of events (already filtered for this session) and records what was handed to
     * the socket. Called by one thread at a time (the server's generator or publisher).
     */
    void deliver(List<MarketEvent> events, String frame, boolean record) {
        boolean twice;
        synchronized (this) {
            if (!open || muted || events.isEmpty()) {
                return;
            }
            twice = duplicateNext;
            duplicateNext = false;
        }
        for (int n = 0; n < (twice ? 2 : 1); n++) {
            if (!trySend(frame)) {
                return;
            }
            sent.frame(events, record);
        }
    }
}
