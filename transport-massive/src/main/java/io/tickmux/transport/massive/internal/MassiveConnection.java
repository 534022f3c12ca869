package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.MassiveSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the Massive feed. Each {@link #connect()} makes a new socket ({@link Session});
 * callbacks from an old session are ignored.
 *
 * <p>Handshake: on the upgrade the auth message is sent at once; subscriptions are accepted only
 * after {@code auth_success} (the host sends them on {@code onConnected}). Each topic's ack is
 * counted against what was asked; a ticker is reported acknowledged when all of its channels are.
 * Topics not acknowledged within the ack timeout are reported as refused.
 *
 * <p>A broken or hostile server is contained: a message larger than {@code max-frame-size} closes
 * the connection before it is read into memory (each frame as its header arrives, a fragmented
 * message frame by frame: {@link BoundedDraft}); a binary frame, a frame that is not the feed's
 * JSON (nested deeper than the factory's limit included) and a second {@code auth_success} are
 * skipped and reported as errors; an event for a ticker this socket does not hold is dropped and
 * reported, and creates no state; every text from the server reaches the host and the logs on one
 * line, control characters escaped ({@link ServerText}).
 *
 * <p>Threading: Java-WebSocket's read thread (renamed {@code tickmux-massive-<id>}) parses frames
 * and calls the listener; with {@code parsing = stage} it hands each frame to the session's {@link
 * ParseStage} instead, whose thread ({@code tickmux-massive-parse-<id>}) parses and calls the
 * listener, in order, and reports the socket's end after the frames it was handed; a shared timer
 * thread pings, enforces the read deadline and the auth and ack timeouts. Listener calls are
 * serialized by {@code callbackLock}, so the host sees one call at a time, in order. Only the
 * thread that parses (the read thread, or the stage's) ever waits for that lock: any other thread
 * (the timer, a host thread closing the connection) queues its call, runs the queue if the lock is
 * free, and otherwise leaves it to the lock's holder, which runs the queue before it lets go. So a
 * slow listener on one connection never stalls the shared timer (pings, deadlines and timeouts of
 * every connection) and a host closing a connection never waits for its read thread.
 */
public final class MassiveConnection implements TransportConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MassiveConnection.class);

    private final ConnectionSpec spec;
    private final MassiveSettings settings;
    private final TransportListener listener;
    private final ScheduledExecutorService timer;
    private final JsonFactory json;
    private final Object lock = new Object();
    private final ReentrantLock callbackLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Runnable> deferred = new ConcurrentLinkedQueue<>();
    private Session current;
    private int sessions;
    private boolean closed;

    /**
     * @param spec the connection's id and name
     * @param settings resolved settings for this connection (with its own key and URL)
     * @param listener the host
     * @param timer shared timer for pings and timeouts
     * @param json shared Jackson factory
     * @throws IllegalStateException when the settings' URL is cleartext to a host other than
     *     loopback and {@code allow-cleartext} is off (however the settings were built)
     */
    public MassiveConnection(
            ConnectionSpec spec,
            MassiveSettings settings,
            TransportListener listener,
            ScheduledExecutorService timer,
            JsonFactory json) {
        this.spec = spec;
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
        this.json = json;
        settings.cleartextProblem()
                .ifPresent(
                        p -> {
                            throw new IllegalStateException("connection " + spec.id() + ": " + p);
                        });
    }

    @Override
    public void connect() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("connection " + spec.id() + " is closed");
            }
            if (current != null) {
                throw new IllegalStateException(
                        "connection " + spec.id() + " is already open or connecting");
            }
            current = new Session(++sessions);
            current.connect();
        }
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
        Session s;
        synchronized (lock) {
            s = current;
        }
        if (s == null || !s.authenticated) {
            LOG.debug(
                    "{}: {} of {} tickers not sent: not connected (the host re-sends on reconnect)",
                    spec.id(),
                    subscribe ? "subscribe" : "unsubscribe",
                    symbols.size());
            return;
        }
        s.sendTopics(subscribe, symbols);
    }

    @Override
    public void abort() {
        Session s;
        synchronized (lock) {
            s = current;
        }
        if (s != null) {
            s.endLocally(DisconnectReason.ABORT, "aborted by client");
        }
    }

    @Override
    public void close() {
        Session s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = current;
        }
        if (s != null) {
            s.endLocally(DisconnectReason.CLOSED_BY_CLIENT, "closed by client");
        }
    }

    /**
     * Calls the listener: at once on a thread that holds the callback lock (the read thread while
     * it parses), else through the queue, without waiting.
     */
    private void call(Runnable r) {
        if (callbackLock.isHeldByCurrentThread()) {
            runGuarded(r);
            return;
        }
        deferred.add(r);
        drainDeferred();
    }

    /** Runs queued listener calls while the callback lock can be had without waiting. */
    private void drainDeferred() {
        while (!deferred.isEmpty() && callbackLock.tryLock()) {
            try {
                Runnable r;
                while ((r = deferred.poll()) != null) {
                    runGuarded(r);
                }
            } finally {
                callbackLock.unlock();
            }
        }
    }

    private void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("{}: the host's listener threw; continuing", spec.id(), e);
        }
    }

    /** Hands a socket's single-frame text messages to its session, set once it is built. */
    static final class TextRelay implements BoundedDraft.TextBytes {
        volatile Session session;

        @Override
        public void onText(ByteBuffer payload) {
            session.onText(payload);
        }
    }

    static String topic(EventKind channel, String symbol) {
        return channel.channel() + "." + symbol;
    }

    /** One socket: from connect to the single onDisconnected. */
    final class Session extends WebSocketClient implements FrameParser.Sink {
        private final int number;
        private final FrameParser parser = new FrameParser(json);
        private final EventChunks chunks =
                new EventChunks(
                        listener,
                        e -> LOG.error("{}: the host's listener threw; continuing", spec.id(), e));

        /** The parsing stage ({@code parsing = stage}); null when the read thread parses. */
        private final ParseStage stage;

        private final Map<String, Integer> pendingSub = new HashMap<>();
        private final Map<String, Integer> pendingUnsub = new HashMap<>();

        /**
         * The tickers this socket holds: subscribed (acknowledged or not), or being let go (value
         * {@code true}: unsubscribe sent, its ack not yet in, so events still in flight are
         * wanted). Only what the host asked for enters, so its size is bounded by the host.
         */
        private final Map<String, Boolean> held = new ConcurrentHashMap<>();

        private volatile boolean opened;
        private volatile boolean authenticated;
        private volatile long lastReadNanos = System.nanoTime();
        private volatile DisconnectReason localReason;
        private volatile String localDetail;
        private volatile String errorDetail;
        private boolean reported;
        private ScheduledFuture<?> authTimer;
        private ScheduledFuture<?> pinger;
        private volatile ScheduledFuture<?> deadlineTimer;
        private volatile boolean timersCancelled;

        Session(int number) {
            this(number, new TextRelay());
        }

        private Session(int number, TextRelay relay) {
            super(
                    settings.url(),
                    new BoundedDraft(settings.maxFrameSize(), relay),
                    Map.of(),
                    (int) settings.connectTimeout().toMillis());
            relay.session = this;
            this.number = number;
            this.stage =
                    settings.parsing() == MassiveSettings.Parsing.STAGE
                            ? new ParseStage(
                                    "tickmux-massive-parse-" + spec.id(),
                                    settings.parseStageFrames(),
                                    settings.maxFrameSize(),
                                    new StageHandler(),
                                    e ->
                                            LOG.error(
                                                    "{}: parsing stage: a frame's handling threw;"
                                                            + " continuing with the next frame",
                                                    spec.id(),
                                                    e))
                            : null;
            setConnectionLostTimeout(0); // our own pings and read deadline instead
            setTcpNoDelay(true);
        }

        @Override
        public void run() {
            Thread.currentThread().setName("tickmux-massive-" + spec.id());
            super.run();
        }

        // ------------------------------------------------ socket events (read thread)

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened = true;
            if (stage != null) {
                stage.start();
            }
            lastReadNanos = System.nanoTime();
            String auth =
                    "{\"action\":\"auth\",\"params\":\""
                            + new String(
                                    JsonStringEncoder.getInstance()
                                            .quoteAsString(settings.apiKey().reveal()))
                            + "\"}";
            sendFrame(new AuthFrame(auth));
            long authNanos = settings.authTimeout().toNanos();
            authTimer =
                    timer.schedule(
                            () -> {
                                if (!authenticated) {
                                    endLocally(
                                            DisconnectReason.CONNECT_FAILED,
                                            "no auth reply within " + settings.authTimeout());
                                }
                            },
                            authNanos,
                            TimeUnit.NANOSECONDS);
            long ping = settings.pingInterval().toNanos();
            pinger = timer.scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.NANOSECONDS);
            checkReadDeadline();
        }

        /** A text message that came in fragments, decoded by Java-WebSocket. */
        @Override
        public void onMessage(String text) {
            lastReadNanos = System.nanoTime();
            if (stage != null) {
                if (!stage.publishText(text)) {
                    lateFrame();
                }
                return;
            }
            parseText(text);
        }

        /** A text message in one frame, its UTF-8 checked by {@link BoundedDraft}. */
        void onText(ByteBuffer payload) {
            lastReadNanos = System.nanoTime();
            byte[] utf8 = payload.array();
            int offset = payload.arrayOffset() + payload.position();
            int length = payload.remaining();
            if (stage != null) {
                if (!stage.publish(utf8, offset, length)) {
                    lateFrame();
                }
                return;
            }
            parseBytes(utf8, offset, length);
        }

        /** A frame read after the session's end was reported: the host has moved on. */
        private void lateFrame() {
            LOG.debug(
                    "{} session {}: a frame read after the socket ended, not parsed",
                    spec.id(),
                    number);
        }

        private void parseText(String text) {
            callbackLock.lock();
            try {
                parser.parse(text, this);
                flush();
            } catch (IOException | RuntimeException e) {
                malformed(text.length() + " chars", e);
            } finally {
                callbackLock.unlock();
            }
            drainDeferred();
        }

        private void parseBytes(byte[] utf8, int offset, int length) {
            callbackLock.lock();
            try {
                parser.parse(utf8, offset, length, this);
                flush();
            } catch (IOException | RuntimeException e) {
                malformed(length + " bytes", e);
            } finally {
                callbackLock.unlock();
            }
            drainDeferred();
        }

        /** The parsing stage's work, on its thread, in the order the frames were read. */
        private final class StageHandler implements ParseStage.Handler {
            @Override
            public void bytes(byte[] utf8, int offset, int length) {
                parseBytes(utf8, offset, length);
            }

            @Override
            public void text(String text) {
                parseText(text);
            }

            @Override
            public void binary(int size) {
                binaryFrame(size);
            }
        }

        /** Every whole object before the fault is delivered; the rest is skipped and reported. */
        private void malformed(String size, Exception e) {
            flush();
            String detail =
                    "skipped a malformed frame ("
                            + size
                            + "): "
                            + ServerText.oneLine(
                                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            call(() -> listener.onError("malformed-frame", detail));
        }

        /** The feed sends only text frames: a binary one is skipped and reported. */
        @Override
        public void onMessage(ByteBuffer bytes) {
            lastReadNanos = System.nanoTime();
            int size = bytes.remaining();
            if (stage != null) {
                if (!stage.publishBinary(size)) {
                    lateFrame();
                }
                return;
            }
            binaryFrame(size);
        }

        private void binaryFrame(int size) {
            callbackLock.lock();
            try {
                call(
                        () ->
                                listener.onError(
                                        "binary-frame",
                                        "skipped a binary frame ("
                                                + size
                                                + " bytes): the feed sends text frames only"));
            } finally {
                callbackLock.unlock();
            }
            drainDeferred();
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata f) {
            lastReadNanos = System.nanoTime();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            cancelTimers();
            DisconnectReason r;
            String detail;
            if (localReason != null) {
                r = localReason;
                detail = localDetail;
            } else if (!opened) {
                // Java-WebSocket may report the cause (a TLS failure, say) just after the close:
                // wait briefly for it, so the person on call reads why.
                if (errorDetail == null) {
                    timer.schedule(
                            () -> reportConnectFailed(code, reason), 100, TimeUnit.MILLISECONDS);
                } else {
                    reportConnectFailed(code, reason);
                }
                return;
            } else if (code == CloseFrame.TOOBIG && !remote) {
                // Java-WebSocket refused a frame (or the fragments of a message) larger than
                // max-frame-size as its header arrived, before reading it into memory.
                r = DisconnectReason.ABORT;
                detail =
                        "frame too large: the server sent a message over max-frame-size = "
                                + settings.maxFrameSize()
                                + " bytes; connection dropped (1009)";
                String error = detail;
                call(() -> listener.onError("frame-too-large", error));
            } else {
                r =
                        switch (code) {
                            case 1000, 1001 -> DisconnectReason.CLEAN_CLOSE;
                            case 1008 -> DisconnectReason.POLICY;
                            default -> DisconnectReason.ABORT;
                        };
                detail =
                        reason == null || reason.isEmpty()
                                ? (remote ? "closed by server" : "closed")
                                : ServerText.oneLine(reason);
            }
            report(r, code, detail);
        }

        private void reportConnectFailed(int code, String reason) {
            String why =
                    errorDetail != null
                            ? errorDetail
                            : reason != null && !reason.isEmpty() ? ServerText.oneLine(reason) : "";
            report(
                    DisconnectReason.CONNECT_FAILED,
                    code,
                    "could not open "
                            + settings.url()
                            + (why.isEmpty() ? " (close code " + code + ")" : ": " + why));
        }

        @Override
        public void onError(Exception ex) {
            errorDetail =
                    ex.getClass().getSimpleName()
                            + (ex.getMessage() == null
                                    ? ""
                                    : ": " + ServerText.oneLine(ex.getMessage()));
            LOG.debug("{} session {}: {}", spec.id(), number, errorDetail);
        }

        // ------------------------------------------------ parser sink (read thread, callbackLock
        // held)

        @Override
        public void event(MarketEvent event) {
            if (held.containsKey(event.symbol()) || held.containsKey("*")) {
                chunks.add(event);
                return;
            }
            // Not asked for on this socket (never, or its unsubscribe acknowledged): dropped and
            // counted as an error, creating nothing per ticker.
            flush();
            call(
                    () ->
                            listener.onError(
                                    "unheld-event",
                                    "dropped an event for "
                                            + ServerText.oneLine(event.symbol())
                                            + ", a ticker this connection does not hold"));
        }

        @Override
        public void status(String rawStatus, String rawMessage) {
            flush();
            String status = ServerText.oneLine(rawStatus);
            String message = ServerText.oneLine(rawMessage);
            switch (status) {
                case "connected" -> LOG.debug("{}: server says connected", spec.id());
                case "auth_success" -> {
                    if (authenticated) {
                        call(
                                () ->
                                        listener.onError(
                                                "protocol-violation",
                                                "a second auth_success on an authenticated"
                                                        + " connection: ignored"));
                        return;
                    }
                    authenticated = true;
                    if (authTimer != null) {
                        authTimer.cancel(false);
                    }
                    call(listener::onConnected);
                }
                case "auth_failed" -> {
                    localReason = DisconnectReason.AUTH_FAILED;
                    localDetail = "auth_failed: " + message;
                    // The server drops the socket itself; make sure it ends even if it does not.
                    timer.schedule(() -> closeConnection(1006, "auth_failed"), 2, TimeUnit.SECONDS);
                }
                case "auth_timeout" -> {
                    localReason = DisconnectReason.CONNECT_FAILED;
                    localDetail = "auth_timeout: " + message;
                }
                case "max_connections" -> {
                    localReason = DisconnectReason.EVICTED;
                    localDetail = "max_connections: " + message;
                    call(() -> listener.onServerStatus(status, message));
                }
                case "slow_consumer" -> {
                    localReason = DisconnectReason.SLOW_CONSUMER;
                    localDetail = "slow_consumer: " + message;
                    call(() -> listener.onServerStatus(status, message));
                }
                case "success" -> ack(message);
                default -> call(() -> listener.onServerStatus(status, message));
            }
        }

        @Override
        public void skipped(String kind, String detail) {
            String safe = ServerText.oneLine(detail);
            call(() -> listener.onError(kind, safe));
        }

        private void flush() {
            chunks.flush();
        }

        private void ack(String message) {
            boolean subscribed;
            String topic;
            if (message.startsWith("subscribed to: ")) {
                subscribed = true;
                topic = message.substring("subscribed to: ".length()).trim();
            } else if (message.startsWith("unsubscribed to: ")) {
                subscribed = false;
                topic = message.substring("unsubscribed to: ".length()).trim();
            } else {
                call(() -> listener.onServerStatus("success", message));
                return;
            }
            int dot = topic.indexOf('.');
            if (dot <= 0) {
                return;
            }
            String symbol = topic.substring(dot + 1);
            boolean complete;
            synchronized (this) {
                Map<String, Integer> pending = subscribed ? pendingSub : pendingUnsub;
                Integer left = pending.get(symbol);
                if (left == null) {
                    return; // an ack for something not asked (a duplicate): ignore
                }
                complete = left <= 1;
                if (complete) {
                    pending.remove(symbol);
                } else {
                    pending.put(symbol, left - 1);
                }
            }
            if (complete) {
                if (!subscribed) {
                    held.remove(symbol, Boolean.TRUE); // unless subscribed again meanwhile
                }
                call(() -> listener.onAck(symbol, subscribed));
            }
        }

        // ------------------------------------------------ control

        void sendTopics(boolean subscribe, Collection<String> symbols) {
            List<EventKind> channels = settings.channels();
            int perMessage = Math.max(1, settings.maxTopicsPerMessage() / channels.size());
            List<String> chunk = new ArrayList<>(Math.min(perMessage, symbols.size()));
            for (String s : symbols) {
                chunk.add(s);
                if (chunk.size() == perMessage) {
                    sendChunk(subscribe, chunk);
                    chunk = new ArrayList<>(perMessage);
                }
            }
            if (!chunk.isEmpty()) {
                sendChunk(subscribe, chunk);
            }
        }

        private void sendChunk(boolean subscribe, List<String> symbols) {
            List<EventKind> channels = settings.channels();
            StringBuilder params = new StringBuilder(symbols.size() * channels.size() * 10);
            synchronized (this) {
                Map<String, Integer> pending = subscribe ? pendingSub : pendingUnsub;
                for (String s : symbols) {
                    pending.put(s, channels.size());
                    if (subscribe) {
                        held.put(s, Boolean.FALSE);
                    } else {
                        held.computeIfPresent(s, (k, v) -> Boolean.TRUE);
                    }
                    for (EventKind c : channels) {
                        if (params.length() > 0) {
                            params.append(',');
                        }
                        params.append(topic(c, s));
                    }
                }
            }
            String msg =
                    "{\"action\":\""
                            + (subscribe ? "subscribe" : "unsubscribe")
                            + "\",\"params\":\""
                            + new String(JsonStringEncoder.getInstance().quoteAsString(params))
                            + "\"}";
            try {
                send(msg);
            } catch (RuntimeException e) {
                LOG.debug("{}: send failed, socket closing: {}", spec.id(), e.toString());
                return;
            }
            if (subscribe) {
                timer.schedule(
                        () -> checkAcks(symbols),
                        settings.ackTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }

        private void checkAcks(List<String> symbols) {
            if (!isOpen()) {
                return;
            }
            Map<String, Integer> missing = new LinkedHashMap<>();
            synchronized (this) {
                for (String s : symbols) {
                    Integer left = pendingSub.remove(s);
                    if (left != null) {
                        missing.put(s, left);
                    }
                }
            }
            for (Map.Entry<String, Integer> m : missing.entrySet()) {
                String reason =
                        m.getValue()
                                + " of "
                                + settings.channels().size()
                                + " topics not acknowledged within "
                                + settings.ackTimeout()
                                + " (the server drops unknown topics silently and says \"not"
                                + " authorized\" for channels outside the plan)";
                call(() -> listener.onAckTimeout(m.getKey(), reason));
            }
        }

        /**
         * Drops the socket once it has read nothing (no data, no pong) for the read deadline;
         * otherwise re-arms itself for the time left, so a silent socket ends within a timer tick
         * of its deadline, not up to a ping interval later. Runs on the timer thread, once per
         * deadline while data flows.
         */
        private void checkReadDeadline() {
            if (timersCancelled) {
                return;
            }
            long deadline = settings.readDeadline().toNanos();
            long silentNanos = System.nanoTime() - lastReadNanos;
            if (silentNanos >= deadline) {
                endLocally(
                        DisconnectReason.READ_TIMEOUT,
                        "nothing read for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + "ms");
                return;
            }
            deadlineTimer =
                    timer.schedule(
                            this::checkReadDeadline, deadline - silentNanos, TimeUnit.NANOSECONDS);
        }

        private void ping() {
            try {
                sendPing();
            } catch (RuntimeException e) {
                LOG.debug("{}: ping failed: {}", spec.id(), e.toString());
            }
        }

        void endLocally(DisconnectReason reason, String detail) {
            if (localReason == null || reason == DisconnectReason.CLOSED_BY_CLIENT) {
                localReason = reason;
                localDetail = detail;
            }
            if (reason == DisconnectReason.CLOSED_BY_CLIENT && isOpen()) {
                close(1000, "client closing");
            } else {
                closeConnection(1006, detail);
            }
            if (!opened
                    && getReadyState() == org.java_websocket.enums.ReadyState.NOT_YET_CONNECTED) {
                // Not connected yet: Java-WebSocket reports the close when the connect attempt
                // ends.
                LOG.debug("{}: ending before the socket opened", spec.id());
            }
        }

        private void cancelTimers() {
            timersCancelled = true;
            if (authTimer != null) {
                authTimer.cancel(false);
            }
            if (pinger != null) {
                pinger.cancel(false);
            }
            ScheduledFuture<?> d = deadlineTimer;
            if (d != null) {
                d.cancel(false);
            }
        }

        private void report(DisconnectReason reason, int code, String detail) {
            synchronized (this) {
                if (reported) {
                    return;
                }
                reported = true;
                pendingSub.clear();
                pendingUnsub.clear();
            }
            synchronized (lock) {
                if (current == this) {
                    current = null;
                }
            }
            int c = code;
            if (stage != null) {
                // after every frame already handed to the stage; then its thread ends
                stage.stop(() -> call(() -> listener.onDisconnected(reason, c, detail)));
            } else {
                call(() -> listener.onDisconnected(reason, c, detail));
            }
        }
    }
}
