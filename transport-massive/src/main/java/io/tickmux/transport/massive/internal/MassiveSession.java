package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.MassiveSettings;
import io.tickmux.transport.massive.internal.DisconnectClassifier.Ending;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket of a {@link MassiveConnection}, from connect to its single {@code onDisconnected}: the
 * socket's events and the protocol's replies, coordinating its parts. {@link FrameIntake} takes the
 * frames the socket reads to the parser, which hands their objects back here ({@link
 * FrameParser.Sink}); {@link ControlMessages} writes what is sent; {@link TopicLedger} counts what
 * was asked and acknowledged and knows the tickers held; {@link SessionTimers} runs the auth
 * timeout, pings, read deadline and ack deadlines; {@link DisconnectClassifier} works out why the
 * socket ended. The host is called through the connection's {@link ListenerCalls}.
 *
 * <p>Threads: Java-WebSocket's read thread (renamed {@code tickmux-massive-<id>}) delivers the
 * socket's events; the parser sink is called by the parsing thread (the read thread, or the parsing
 * stage's) holding the callback lock; the timer and host threads send, time out and end the socket.
 */
final class MassiveSession extends WebSocketClient implements FrameParser.Sink {

    /** The connection's log: one category for everything about a connection. */
    private static final Logger LOG = LoggerFactory.getLogger(MassiveConnection.class);

    private static final String SUBSCRIBED = "subscribed to: ";
    private static final String UNSUBSCRIBED = "unsubscribed to: ";
    private static final Duration AUTH_FAILED_CLOSE = Duration.ofSeconds(2);
    private static final Duration CONNECT_ERROR_WAIT = Duration.ofMillis(100);

    private final String id;
    private final int number;
    private final MassiveSettings settings;
    private final TransportListener listener;
    private final ListenerCalls calls;
    private final Consumer<MassiveSession> onEnded;
    private final EventChunks chunks;
    private final ControlMessages messages;
    private final TopicLedger ledger;
    private final SessionTimers timers;
    private final DisconnectClassifier cause;
    private final FrameIntake intake;

    private volatile boolean opened;
    private volatile boolean authenticated;
    private boolean reported;

    /**
     * @param id the connection's id
     * @param number this socket's number within the connection, from 1
     * @param settings the connection's settings
     * @param listener the host
     * @param calls the connection's listener calls
     * @param timer the host's scheduler
     * @param json the shared Jackson factory
     * @param onEnded told once the socket's end is reported, before the host is told
     */
    MassiveSession(
            String id,
            int number,
            MassiveSettings settings,
            TransportListener listener,
            ListenerCalls calls,
            ScheduledExecutorService timer,
            JsonFactory json,
            Consumer<MassiveSession> onEnded) {
        this(id, number, settings, listener, calls, timer, json, onEnded, new TextRelay());
    }

    private MassiveSession(
            String id,
            int number,
            MassiveSettings settings,
            TransportListener listener,
            ListenerCalls calls,
            ScheduledExecutorService timer,
            JsonFactory json,
            Consumer<MassiveSession> onEnded,
            TextRelay relay) {
        super(
                settings.url(),
                new BoundedDraft(settings.maxFrameSize(), relay),
                Map.of(),
                (int) settings.connectTimeout().toMillis());
        relay.session = this;
        this.id = id;
        this.number = number;
        this.settings = settings;
        this.listener = listener;
        this.calls = calls;
        this.onEnded = onEnded;
        this.chunks = new EventChunks(listener, calls::listenerThrew);
        this.messages = new ControlMessages(settings.channels(), settings.maxTopicsPerMessage());
        this.ledger = new TopicLedger(messages.topicsPerTicker());
        this.timers =
                new SessionTimers(
                        timer,
                        System::nanoTime,
                        settings.authTimeout(),
                        settings.pingInterval(),
                        settings.readDeadline(),
                        this::authTimedOut,
                        this::ping,
                        silent ->
                                endLocally(
                                        DisconnectReason.READ_TIMEOUT,
                                        "nothing read for "
                                                + TimeUnit.NANOSECONDS.toMillis(silent)
                                                + "ms"));
        this.cause = new DisconnectClassifier(settings.url(), settings.maxFrameSize());
        this.intake = new FrameIntake(id, number, settings, json, this, chunks, listener, calls);
        setConnectionLostTimeout(0); // our own pings and read deadline instead
        setTcpNoDelay(true);
    }

    /** Hands a socket's single-frame text messages to its session, set once it is built. */
    private static final class TextRelay implements BoundedDraft.TextBytes {
        volatile MassiveSession session;

        @Override
        public void onText(ByteBuffer payload) {
            session.onText(payload);
        }
    }

    /**
     * @return whether the server accepted the key: subscriptions may be sent
     */
    boolean authenticated() {
        return authenticated;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("tickmux-massive-" + id);
        super.run();
    }

    // ------------------------------------------------ socket events (read thread)

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened = true;
        intake.start();
        sendFrame(new AuthFrame(ControlMessages.auth(settings.apiKey().reveal())));
        timers.start();
    }

    /** A text message that came in fragments, decoded by Java-WebSocket. */
    @Override
    public void onMessage(String text) {
        timers.read();
        intake.readText(text);
    }

    /** A text message in one frame, its UTF-8 checked by {@link BoundedDraft}. */
    void onText(ByteBuffer payload) {
        timers.read();
        intake.readBytes(
                payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
    }

    /** The feed sends only text frames: a binary one is skipped and reported. */
    @Override
    public void onMessage(ByteBuffer bytes) {
        timers.read();
        intake.readBinary(bytes.remaining());
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        timers.read();
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        timers.cancel();
        Optional<Ending> ended = cause.closed(opened, code, reason, remote);
        if (ended.isEmpty()) {
            // A failed connect. Java-WebSocket may report the cause (a TLS failure, say) just
            // after the close: wait briefly for it, so the person on call reads why.
            if (cause.errorKnown()) {
                reportConnectFailed(code, reason);
            } else {
                timers.after(CONNECT_ERROR_WAIT, () -> reportConnectFailed(code, reason));
            }
            return;
        }
        Ending e = ended.get();
        if (e.frameTooLarge()) {
            calls.call(() -> listener.onError("frame-too-large", e.detail()));
        }
        report(e.reason(), code, e.detail());
    }

    private void reportConnectFailed(int code, String reason) {
        report(DisconnectReason.CONNECT_FAILED, code, cause.connectFailed(code, reason));
    }

    @Override
    public void onError(Exception ex) {
        LOG.debug("{} session {}: {}", id, number, cause.error(ex));
    }

    // ------------------------------------------------ parser sink (parsing thread, lock held)

    @Override
    public void event(MarketEvent event) {
        if (ledger.holds(event.symbol())) {
            chunks.add(event);
            return;
        }
        // Not asked for on this socket (never, or its unsubscribe acknowledged): dropped and
        // counted as an error, creating nothing per ticker.
        chunks.flush();
        calls.call(
                () ->
                        listener.onError(
                                "unheld-event",
                                "dropped an event for "
                                        + ServerText.oneLine(event.symbol())
                                        + ", a ticker this connection does not hold"));
    }

    @Override
    public void status(String rawStatus, String rawMessage) {
        chunks.flush();
        String status = ServerText.oneLine(rawStatus);
        String message = ServerText.oneLine(rawMessage);
        switch (status) {
            case "connected" -> LOG.debug("{}: server says connected", id);
            case "auth_success" -> {
                if (authenticated) {
                    calls.call(
                            () ->
                                    listener.onError(
                                            "protocol-violation",
                                            "a second auth_success on an authenticated"
                                                    + " connection: ignored"));
                    return;
                }
                authenticated = true;
                timers.authenticated();
                calls.call(listener::onConnected);
            }
            case "auth_failed" -> {
                cause.announced(DisconnectReason.AUTH_FAILED, "auth_failed: " + message);
                // The server drops the socket itself; make sure it ends even if it does not.
                timers.after(AUTH_FAILED_CLOSE, () -> closeConnection(1006, "auth_failed"));
            }
            case "auth_timeout" ->
                    cause.announced(DisconnectReason.CONNECT_FAILED, "auth_timeout: " + message);
            case "max_connections" -> {
                cause.announced(DisconnectReason.EVICTED, "max_connections: " + message);
                calls.call(() -> listener.onServerStatus(status, message));
            }
            case "slow_consumer" -> {
                cause.announced(DisconnectReason.SLOW_CONSUMER, "slow_consumer: " + message);
                calls.call(() -> listener.onServerStatus(status, message));
            }
            case "success" -> ack(message);
            default -> calls.call(() -> listener.onServerStatus(status, message));
        }
    }

    @Override
    public void skipped(String kind, String detail) {
        String safe = ServerText.oneLine(detail);
        calls.call(() -> listener.onError(kind, safe));
    }

    /** {@code subscribed to: T.AAPL} or {@code unsubscribed to: T.AAPL}: one topic's ack. */
    private void ack(String message) {
        boolean subscribed = message.startsWith(SUBSCRIBED);
        if (!subscribed && !message.startsWith(UNSUBSCRIBED)) {
            calls.call(() -> listener.onServerStatus("success", message));
            return;
        }
        String topic = message.substring((subscribed ? SUBSCRIBED : UNSUBSCRIBED).length()).trim();
        int dot = topic.indexOf('.');
        if (dot <= 0) {
            return;
        }
        String symbol = topic.substring(dot + 1);
        if (ledger.acked(subscribed, symbol)) {
            calls.call(() -> listener.onAck(symbol, subscribed));
        }
    }

    // ------------------------------------------------ control (host and timer threads)

    /**
     * Sends a subscribe or unsubscribe, in as many messages as {@code max-topics-per-message}
     * takes; a subscribe's tickers not acknowledged within the ack timeout are reported to the
     * host.
     *
     * @param subscribe subscribe, or unsubscribe
     * @param symbols the tickers
     */
    void sendTopics(boolean subscribe, Collection<String> symbols) {
        for (List<String> group : messages.groups(symbols)) {
            ledger.asked(subscribe, group);
            try {
                send(messages.topics(subscribe, group));
            } catch (RuntimeException e) {
                LOG.debug("{}: send failed, socket closing: {}", id, e.toString());
                continue;
            }
            if (subscribe) {
                timers.after(settings.ackTimeout(), () -> checkAcks(group));
            }
        }
    }

    private void checkAcks(List<String> symbols) {
        if (!isOpen()) {
            return;
        }
        for (Map.Entry<String, Integer> m : ledger.expire(symbols).entrySet()) {
            String reason =
                    m.getValue()
                            + " of "
                            + messages.topicsPerTicker()
                            + " topics not acknowledged within "
                            + settings.ackTimeout()
                            + " (the server drops unknown topics silently and says \"not"
                            + " authorized\" for channels outside the plan)";
            calls.call(() -> listener.onAckTimeout(m.getKey(), reason));
        }
    }

    private void authTimedOut() {
        if (!authenticated) {
            endLocally(
                    DisconnectReason.CONNECT_FAILED,
                    "no auth reply within " + settings.authTimeout());
        }
    }

    private void ping() {
        try {
            sendPing();
        } catch (RuntimeException e) {
            LOG.debug("{}: ping failed: {}", id, e.toString());
        }
    }

    /**
     * Ends the socket from this side: a close handshake when the host closes an open socket, else
     * at once.
     *
     * @param reason why, as the host will be told (the first reason stays, but the host's close
     *     wins)
     * @param detail for a person, on one line
     */
    void endLocally(DisconnectReason reason, String detail) {
        cause.endedLocally(reason, detail);
        if (reason == DisconnectReason.CLOSED_BY_CLIENT && isOpen()) {
            close(1000, "client closing");
        } else {
            closeConnection(1006, detail);
        }
        if (!opened && getReadyState() == ReadyState.NOT_YET_CONNECTED) {
            // Not connected yet: Java-WebSocket reports the close when the connect attempt ends.
            LOG.debug("{}: ending before the socket opened", id);
        }
    }

    private void report(DisconnectReason reason, int code, String detail) {
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
        }
        ledger.forgetPending();
        onEnded.accept(this);
        intake.end(() -> calls.call(() -> listener.onDisconnected(reason, code, detail)));
    }
}
