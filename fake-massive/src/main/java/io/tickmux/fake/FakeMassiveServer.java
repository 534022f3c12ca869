package io.tickmux.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake of the Massive.com stocks WebSocket server on loopback, speaking the protocol as {@code
 * reference/massive-protocol.md} describes it, odd corners included:
 *
 * <ul>
 *   <li>a {@code connected} frame on upgrade; {@code auth_success} for an accepted key; {@code
 *       auth_failed} and an abort without a close frame for a bad key; {@code auth_failed} with the
 *       plan message for an unentitled key; {@code auth_timeout} and a close when no auth arrives;
 *   <li>pipelined messages handled in order; one {@code subscribed to: T.AAPL} ack per topic, all
 *       in one frame or one frame each; unknown topics dropped silently; {@code not authorized} for
 *       configured prefixes; no second ack for a topic already held;
 *   <li>a connection cap per key: the oldest connection gets {@code max_connections} and is closed
 *       (1008, abort or 1000, configurable);
 *   <li>events (T, Q, A, AM) for subscribed tickers, wildcards included, batched in arrays under a
 *       frame limit, with increasing per-ticker sequence numbers and unique trade ids, from a
 *       generator at a set rate or published by hand;
 *   <li>faults per session (abort, close with a code, mute, malformed frame, duplicate batch,
 *       slow-consumer kill) and a record of every event sent, per session and ticker;
 *   <li>acks held per session until the test releases them ({@link FakeSession#holdAcks()}): the
 *       topics take effect at once, only the acks wait, so a make-before-break move stays in its
 *       overlap (events sent on both sockets) until the test lets it complete;
 *   <li>a hostile or broken server, per session: any status text ({@link FakeSession#sendStatus}),
 *       a binary frame, a message of any declared size streamed without holding it ({@link
 *       FakeSession#sendOversizedMessage}), and events for tickers the session never asked for
 *       ({@link FakeSession#sendUnasked}).
 * </ul>
 *
 * <p>Thread-safe. Start it with {@link #start()}; clients connect to {@link #url()}.
 */
public final class FakeMassiveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeMassiveServer.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> KNOWN_PREFIXES =
            Set.of("T", "Q", "A", "AM", "LULD", "NOI", "FMV");

    /** How an evicted connection is closed. */
    public enum EvictionClose {
        /** A close frame with 1008 (policy violation). */
        POLICY,
        /** No close frame: the client sees 1006. */
        ABORT,
        /** A close frame with 1000. */
        CLEAN
    }

    /** How per-topic acks are framed. */
    public enum AckFraming {
        /** All acks of one subscribe message in one array frame. */
        BATCHED,
        /** One frame per ack. */
        SEPARATE
    }

    private final Builder config;
    private final Server ws;
    private final Clock clock;
    private final Map<WebSocket, FakeSession> sessions = new ConcurrentHashMap<>();
    private final List<FakeSession> allSessions = new CopyOnWriteArrayList<>();
    private final Map<String, List<FakeSession>> byKey = new HashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong evictions = new AtomicLong();
    private final FakeMarket market;
    private final FakeRestApi rest;
    private final ScheduledExecutorService timers;
    private final Object publishLock = new Object();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile ScheduledFuture<?> generator;
    private volatile Exception startFailure;

    private FakeMassiveServer(Builder b) {
        this.config = b;
        this.clock = b.clock;
        this.ws = new Server(new InetSocketAddress(b.host, b.port));
        this.market = b.market != null ? b.market : new FakeMarket();
        this.rest =
                b.restApi
                        ? new FakeRestApi(
                                b.host,
                                b.restPort,
                                b.restPageSize,
                                market,
                                k ->
                                        !b.rejectedKeys.contains(k)
                                                && (b.acceptAnyKey || b.acceptedKeys.contains(k)))
                        : null;
        this.timers =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "fake-massive-timer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * @return a builder with defaults: loopback, an ephemeral port, any key accepted, a cap of 3
     *     connections per key with 1008 eviction, batched acks, no generator
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening and waits until the port is bound.
     *
     * @return this
     * @throws IllegalStateException when the server could not start
     */
    public FakeMassiveServer start() {
        ws.setReuseAddr(true);
        ws.setConnectionLostTimeout(0);
        if (config.tls != null) {
            ws.setWebSocketFactory(
                    new org.java_websocket.server.DefaultSSLWebSocketServerFactory(config.tls));
        }
        ws.start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake Massive server did not start within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        if (startFailure != null) {
            throw new IllegalStateException(
                    "fake Massive server could not start on "
                            + config.host
                            + ":"
                            + config.port
                            + ": "
                            + startFailure.getMessage(),
                    startFailure);
        }
        if (rest != null) {
            rest.start();
        }
        if (config.eventsPerSecond > 0) {
            startGenerator(config.eventsPerSecond);
        }
        LOG.info(
                "fake Massive server listening on {}{}",
                url(),
                rest == null ? "" : ", REST API on " + rest.url());
        return this;
    }

    /**
     * @return the port listened on
     */
    public int port() {
        return ws.getPort();
    }

    /**
     * @return {@code ws://host:port/stocks}, or {@code wss://} when serving TLS
     */
    public String url() {
        return (config.tls != null ? "wss://" : "ws://") + config.host + ":" + port() + "/stocks";
    }

    /**
     * @return the REST API ({@link Builder#restApi(boolean)})
     * @throws IllegalStateException when the server was built without it
     */
    public FakeRestApi rest() {
        if (rest == null) {
            throw new IllegalStateException(
                    "the REST API is off: build the server with restApi(true)");
        }
        return rest;
    }

    /**
     * @return the record of every trade and quote generated or published while the REST API is on
     */
    public FakeMarket market() {
        return market;
    }

    /**
     * @return every session accepted since start, in order
     */
    public List<FakeSession> sessions() {
        return List.copyOf(allSessions);
    }

    /**
     * @return the sessions whose socket is open and authenticated, oldest first
     */
    public List<FakeSession> liveSessions() {
        List<FakeSession> out = new ArrayList<>();
        for (FakeSession s : allSessions) {
            if (s.isOpen() && s.authenticated()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The newest open, authenticated session that authenticated with a key.
     *
     * @param key the API key
     * @return the session
     * @throws IllegalStateException when there is none
     */
    public FakeSession liveSession(String key) {
        FakeSession found = null;
        for (FakeSession s : allSessions) {
            if (s.isOpen() && s.authenticated() && key.equals(s.key())) {
                found = s;
            }
        }
        if (found == null) {
            throw new IllegalStateException("no live session authenticated with that key");
        }
        return found;
    }

    /**
     * The newest open, authenticated session that holds a ticker on some channel.
     *
     * @param ticker the ticker
     * @return the session, or {@code null} when none holds it
     */
    public FakeSession sessionHolding(String ticker) {
        FakeSession found = null;
        for (FakeSession s : liveSessions()) {
            if (s.tickers().contains(ticker)) {
                found = s;
            }
        }
        return found;
    }

    /**
     * @return evictions for exceeding the per-key connection cap, since start
     */
    public long evictions() {
        return evictions.get();
    }

    /**
     * One connection as the server saw it.
     *
     * @param session the session's number
     * @param key the key it authenticated with (or tried); {@code null} when none was sent
     * @param path the request path with its query (a test may tell its clients apart by it)
     * @param openedAt when the socket was accepted
     * @param authenticatedAt when it authenticated; {@code null} when it never did
     * @param closedAt when the server saw it closed; {@code null} while open
     * @param openWithKey authenticated connections of the key open right after this one
     *     authenticated, itself included, before any eviction: above the cap means the clients
     *     together held more connections than the account allows
     * @param evicted whether the server closed it with {@code max_connections}
     */
    public record ConnectionRecord(
            int session,
            String key,
            String path,
            Instant openedAt,
            Instant authenticatedAt,
            Instant closedAt,
            int openWithKey,
            boolean evicted) {}

    /**
     * @return every connection since start, in the order accepted
     */
    public List<ConnectionRecord> connections() {
        List<ConnectionRecord> out = new ArrayList<>();
        for (FakeSession s : allSessions) {
            out.add(s.record());
        }
        return out;
    }

    /**
     * @param key a key
     * @return the most authenticated connections of the key ever open at once (as the server saw
     *     them when each authenticated, before evicting any)
     */
    public int maxOpenWithKey(String key) {
        int max = 0;
        for (FakeSession s : allSessions) {
            ConnectionRecord r = s.record();
            if (key.equals(r.key()) && r.authenticatedAt() != null) {
                max = Math.max(max, r.openWithKey());
            }
        }
        return max;
    }

    Instant clockInstant() {
        return clock.instant();
    }

    /**
     * Events sent for a ticker across every session since start.
     *
     * @param ticker the ticker
     * @return the count
     */
    public long sentCount(String ticker) {
        long n = 0;
        for (FakeSession s : allSessions) {
            n += s.sentCount(ticker);
        }
        return n;
    }

    /**
     * Sends events to every session subscribed to their topic (exact or wildcard), batched into
     * frames under the frame limit, and records them. Sequence numbers and trade ids are the
     * caller's.
     *
     * @param events the events, in order
     */
    public void publish(List<? extends MarketEvent> events) {
        synchronized (publishLock) {
            if (rest != null) {
                market.record(events);
            }
            for (FakeSession s : liveSessions()) {
                List<MarketEvent> mine = new ArrayList<>();
                for (MarketEvent e : events) {
                    if (s.wants(e.kind().channel(), e.symbol())) {
                        mine.add(e);
                    }
                }
                sendBatched(s, mine);
            }
        }
    }

    /**
     * Generates one round: one event per subscribed channel for every ticker any live session holds
     * (the universe for wildcards), sent to each session that wants it. With the REST API on, every
     * universe ticker, and every ticker a session ever held, also trades and quotes whether or not
     * a session holds it now, as a market does, and the round is recorded in the {@link #market()}:
     * what a client missed is there to fetch.
     *
     * @return events generated
     */
    public int generateOnce() {
        synchronized (publishLock) {
            Map<String, Set<String>> wanted = new LinkedHashMap<>();
            for (FakeSession s : liveSessions()) {
                for (String topic : s.topics()) {
                    int dot = topic.indexOf('.');
                    String channel = topic.substring(0, dot);
                    String ticker = topic.substring(dot + 1);
                    Collection<String> tickers =
                            ticker.equals("*") ? config.universe : List.of(ticker);
                    for (String t : tickers) {
                        wanted.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(channel);
                    }
                }
            }
            if (rest != null) {
                wanted.keySet().forEach(market::list);
                Set<String> traded = new LinkedHashSet<>(config.universe);
                traded.addAll(market.listed());
                for (String t : traded) {
                    Set<String> cs = wanted.computeIfAbsent(t, k -> new LinkedHashSet<>());
                    cs.add("T");
                    cs.add("Q");
                }
            }
            long now = clock.millis();
            List<MarketEvent> round = new ArrayList<>();
            for (Map.Entry<String, Set<String>> w : wanted.entrySet()) {
                for (String channel : w.getValue()) {
                    MarketEvent e = make(channel, w.getKey(), now);
                    if (e != null) {
                        round.add(e);
                    }
                }
            }
            if (rest != null) {
                market.record(round);
            }
            for (FakeSession s : liveSessions()) {
                List<MarketEvent> mine = new ArrayList<>();
                for (MarketEvent e : round) {
                    if (s.wants(e.kind().channel(), e.symbol())) {
                        mine.add(e);
                    }
                }
                sendBatched(s, mine);
            }
            return round.size();
        }
    }

    /**
     * Starts generating rounds at a fixed rate.
     *
     * @param roundsPerSecond rounds per second: each ticker gets this many events per second per
     *     channel
     */
    public void startGenerator(double roundsPerSecond) {
        stopGenerator();
        long period = (long) (1_000_000_000L / roundsPerSecond);
        generator =
                timers.scheduleAtFixedRate(
                        () -> {
                            try {
                                generateOnce();
                            } catch (RuntimeException e) {
                                LOG.warn("generator round failed", e);
                            }
                        },
                        period,
                        period,
                        TimeUnit.NANOSECONDS);
    }

    /** Stops the generator; a round in progress finishes first. */
    public void stopGenerator() {
        ScheduledFuture<?> g = generator;
        if (g != null) {
            g.cancel(false);
            synchronized (publishLock) {
                generator = null;
            }
        }
    }

    @Override
    public void close() {
        stopGenerator();
        timers.shutdownNow();
        if (rest != null) {
            rest.close();
        }
        try {
            ws.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------ events

    private MarketEvent make(String channel, String ticker, long now) {
        long seq = market.nextSequence(ticker, 1 + (now & 1));
        double px = (10_000 + Math.floorMod(ticker.hashCode(), 40_000) + seq % 100) / 100.0;
        return switch (channel) {
            case "T" ->
                    new Trade(
                            ticker,
                            4,
                            Long.toString(market.nextTradeId()),
                            3,
                            px,
                            100,
                            null,
                            new int[] {12, 37},
                            now,
                            now - 3,
                            seq,
                            -1,
                            -1);
            case "Q" ->
                    new Quote(
                            ticker,
                            4,
                            px,
                            2,
                            7,
                            (Math.round(px * 100) + 1) / 100.0,
                            3,
                            0,
                            null,
                            now,
                            seq,
                            3);
            case "A", "AM" -> {
                boolean minute = channel.equals("AM");
                long end = now - now % (minute ? 60_000 : 1_000);
                yield new Aggregate(
                        ticker,
                        minute,
                        1200,
                        50_000 + seq,
                        px - 1,
                        px,
                        px,
                        px + 0.2,
                        px - 0.2,
                        px + 0.1,
                        px - 0.5,
                        100,
                        end - (minute ? 60_000 : 1_000),
                        end,
                        false,
                        null,
                        null);
            }
            default -> null;
        };
    }

    // ------------------------------------------------------------ hostile

    /**
     * Streams a text message of {@code total} bytes in frames of {@code fragment} bytes to one
     * session; see {@link OversizedMessage}.
     */
    OversizedMessage oversized(FakeSession s, long total, long fragment) {
        OversizedMessage m =
                new OversizedMessage(
                        s.socket(), () -> ws.onWriteDemand(s.socket()), timers, total, fragment);
        m.start();
        return m;
    }

    /**
     * Sends events to one session whether or not it holds their topics, batched as {@link #publish}
     * batches them; not recorded as sent.
     *
     * @return frames sent
     */
    int sendUnasked(FakeSession s, List<? extends MarketEvent> events) {
        int frames = 0;
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + config.maxEventsPerFrame);
            String frame = EventJson.frame(events.subList(from, to));
            while (frame.length() > config.maxFrameBytes && to - from > 1) {
                to = from + (to - from) / 2;
                frame = EventJson.frame(events.subList(from, to));
            }
            s.send(frame);
            frames++;
            from = to;
        }
        return frames;
    }

    private void sendBatched(FakeSession s, List<MarketEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + config.maxEventsPerFrame);
            String frame = EventJson.frame(events.subList(from, to));
            while (frame.length() > config.maxFrameBytes && to - from > 1) {
                to = from + (to - from) / 2;
                frame = EventJson.frame(events.subList(from, to));
            }
            s.deliver(events.subList(from, to), frame, config.recordEvents);
            from = to;
        }
    }

    // ------------------------------------------------------------ protocol

    void abortAfterFlush(WebSocket socket) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        Runnable[] check = new Runnable[1];
        check[0] =
                () -> {
                    if (socket.hasBufferedData() && System.nanoTime() < deadline) {
                        timers.schedule(check[0], 5, TimeUnit.MILLISECONDS);
                    } else {
                        socket.closeConnection(1006, "aborted by fake server");
                    }
                };
        // Let queued frames (e.g. auth_failed) reach the client before the TCP drop.
        timers.schedule(check[0], 5, TimeUnit.MILLISECONDS);
    }

    private void onAuth(FakeSession s, String key) {
        if (s.authenticated()) {
            return;
        }
        s.keyTried(key);
        if (config.unentitledKeys.contains(key)) {
            s.send(
                    EventJson.status(
                            "auth_failed",
                            "Your plan doesn't include websocket access. Visit"
                                    + " https://massive.com/pricing to upgrade."));
            abortAfterFlush(s.socket());
            return;
        }
        boolean ok =
                !config.rejectedKeys.contains(key)
                        && (config.acceptAnyKey || config.acceptedKeys.contains(key));
        if (!ok) {
            s.send(EventJson.status("auth_failed", "authentication failed"));
            abortAfterFlush(s.socket());
            return;
        }
        s.authenticated(key);
        s.send(EventJson.status("auth_success", "authenticated"));
        FakeSession evict = null;
        synchronized (byKey) {
            List<FakeSession> list = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            list.removeIf(x -> !x.isOpen());
            list.add(s);
            s.openWithKey(list.size());
            if (list.size() > config.connectionCap) {
                evict = list.remove(0);
                evict.evicted();
            }
        }
        if (evict != null) {
            evictions.incrementAndGet();
            evict.send(
                    EventJson.status(
                            "max_connections",
                            "Maximum number of websocket connections exceeded."));
            switch (config.evictionClose) {
                case POLICY -> evict.close(1008, "max_connections");
                case CLEAN -> evict.close(1000, "max_connections");
                case ABORT -> evict.abort();
            }
        }
    }

    private void onTopics(FakeSession s, boolean subscribe, String params) {
        if (!s.authenticated()) {
            s.send(EventJson.status("auth_required", "authentication required"));
            return;
        }
        List<String[]> acks = new ArrayList<>();
        boolean notAuthorized = false;
        for (String raw : params.split(",")) {
            String topic = raw.trim();
            int dot = topic.indexOf('.');
            if (dot <= 0 || dot == topic.length() - 1) {
                continue;
            }
            String prefix = topic.substring(0, dot);
            if (!KNOWN_PREFIXES.contains(prefix) || config.unknownPrefixes.contains(prefix)) {
                continue; // unknown topics are dropped silently, as the real server does
            }
            if (config.notAuthorizedPrefixes.contains(prefix)) {
                notAuthorized = true;
                continue;
            }
            if (subscribe) {
                if (s.addTopic(topic)) {
                    acks.add(new String[] {"success", "subscribed to: " + topic});
                }
            } else {
                s.removeTopic(topic);
                acks.add(new String[] {"success", "unsubscribed to: " + topic});
            }
        }
        if (config.ackFraming == AckFraming.BATCHED) {
            if (!acks.isEmpty()) {
                s.sendAcks(EventJson.statuses(acks), acks.size());
            }
        } else {
            for (String[] a : acks) {
                s.sendAcks(EventJson.statuses(List.<String[]>of(a)), 1);
            }
        }
        if (notAuthorized) {
            s.send(EventJson.status("error", "not authorized"));
        }
    }

    private void onText(FakeSession s, String text) {
        String action = null;
        String params = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("action")) {
                    action = p.getValueAsString();
                } else if (name.equals("params")) {
                    params = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            s.send(EventJson.status("error", "invalid message"));
            return;
        }
        if (action == null || params == null) {
            s.send(EventJson.status("error", "invalid message"));
            return;
        }
        switch (action) {
            case "auth" -> onAuth(s, params);
            case "subscribe" -> onTopics(s, true, params);
            case "unsubscribe" -> onTopics(s, false, params);
            default -> s.send(EventJson.status("error", "unknown action"));
        }
    }

    private final class Server extends WebSocketServer {

        Server(InetSocketAddress address) {
            super(address, 1);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            String path = handshake.getResourceDescriptor();
            FakeSession s =
                    new FakeSession(
                            FakeMassiveServer.this,
                            conn,
                            nextId.incrementAndGet(),
                            clock.instant());
            sessions.put(conn, s);
            s.path(path);
            allSessions.add(s);
            if (!path.startsWith("/stocks")) {
                conn.close(1008, "unknown market path " + path + ": use /stocks");
                return;
            }
            s.send(EventJson.status("connected", "Connected Successfully"));
            timers.schedule(
                    () -> {
                        if (s.isOpen() && s.key() == null) {
                            s.send(
                                    EventJson.status(
                                            "auth_timeout", "No authentication request received."));
                            s.close(1008, "auth_timeout");
                        }
                    },
                    config.authTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            FakeSession s = sessions.get(conn);
            if (s != null) {
                onText(s, message);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            FakeSession s = sessions.remove(conn);
            if (s != null) {
                s.closed(code);
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                startFailure = ex;
                started.countDown();
            } else {
                LOG.debug("fake server session error: {}", ex.toString());
            }
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata f) {
            FakeSession s = sessions.get(conn);
            if (s == null || !s.muted()) {
                super.onWebsocketPing(conn, f);
            }
        }
    }

    /** Configures a {@link FakeMassiveServer}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean acceptAnyKey = true;
        private final Set<String> acceptedKeys = new LinkedHashSet<>();
        private final Set<String> rejectedKeys = new LinkedHashSet<>();
        private final Set<String> unentitledKeys = new LinkedHashSet<>();
        private int connectionCap = 3;
        private EvictionClose evictionClose = EvictionClose.POLICY;
        private AckFraming ackFraming = AckFraming.BATCHED;
        private final Set<String> notAuthorizedPrefixes = new LinkedHashSet<>();
        private final Set<String> unknownPrefixes = new LinkedHashSet<>();
        private Duration authTimeout = Duration.ofSeconds(10);
        private double eventsPerSecond;
        private List<String> universe = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL");
        private int maxFrameBytes = 64 * 1024;
        private int maxEventsPerFrame = 500;
        private boolean recordEvents = true;
        private Clock clock = Clock.systemUTC();
        private javax.net.ssl.SSLContext tls;
        private boolean restApi;
        private int restPort;
        private int restPageSize = RestQuery.MAX_LIMIT;
        private FakeMarket market;

        private Builder() {}

        /**
         * Serves {@code wss://} with this TLS context (its key manager holds the server's
         * certificate), to test that clients verify certificates.
         *
         * @param context the server's TLS context
         * @return this
         */
        public Builder tls(javax.net.ssl.SSLContext context) {
            this.tls = context;
            return this;
        }

        /**
         * @param host interface to bind; default {@code 127.0.0.1}
         * @return this
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port port; 0 (the default) picks a free one
         * @return this
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Accept only these keys (any other gets {@code auth_failed} and an abort).
         *
         * @param keys the keys
         * @return this
         */
        public Builder acceptKeys(String... keys) {
            acceptAnyKey = false;
            acceptedKeys.addAll(List.of(keys));
            return this;
        }

        /**
         * Refuse these keys even when any key is accepted.
         *
         * @param keys the keys
         * @return this
         */
        public Builder rejectKeys(String... keys) {
            rejectedKeys.addAll(List.of(keys));
            return this;
        }

        /**
         * Keys whose plan lacks WebSocket access.
         *
         * @param keys the keys
         * @return this
         */
        public Builder unentitledKeys(String... keys) {
            unentitledKeys.addAll(List.of(keys));
            return this;
        }

        /**
         * @param cap most authenticated connections per key; the oldest is evicted past it
         * @return this
         */
        public Builder connectionCap(int cap) {
            this.connectionCap = cap;
            return this;
        }

        /**
         * @param close how an evicted connection is closed
         * @return this
         */
        public Builder evictionClose(EvictionClose close) {
            this.evictionClose = close;
            return this;
        }

        /**
         * @param framing how acks are framed
         * @return this
         */
        public Builder ackFraming(AckFraming framing) {
            this.ackFraming = framing;
            return this;
        }

        /**
         * @param prefixes channel prefixes answered with {@code not authorized}
         * @return this
         */
        public Builder notAuthorized(String... prefixes) {
            notAuthorizedPrefixes.addAll(List.of(prefixes));
            return this;
        }

        /**
         * Channel prefixes this server does not know, so their topics are dropped silently (no ack,
         * no error), as {@code FMV} is on the non-business stocks cluster.
         *
         * @param prefixes the prefixes
         * @return this
         */
        public Builder unknownTopics(String... prefixes) {
            unknownPrefixes.addAll(List.of(prefixes));
            return this;
        }

        /**
         * @param timeout how long a connection may stay without auth
         * @return this
         */
        public Builder authTimeout(Duration timeout) {
            this.authTimeout = timeout;
            return this;
        }

        /**
         * @param roundsPerSecond generator rate started with the server; 0 (default) starts none
         * @return this
         */
        public Builder eventsPerSecond(double roundsPerSecond) {
            this.eventsPerSecond = roundsPerSecond;
            return this;
        }

        /**
         * @param tickers what a wildcard subscription streams
         * @return this
         */
        public Builder universe(List<String> tickers) {
            this.universe = List.copyOf(tickers);
            return this;
        }

        /**
         * @param bytes frame size limit (the real clients read at most 1 MB)
         * @return this
         */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * @param events most events in one frame
         * @return this
         */
        public Builder maxEventsPerFrame(int events) {
            this.maxEventsPerFrame = events;
            return this;
        }

        /**
         * @param on whether to keep every event sent (for exact comparisons; off for long runs,
         *     counts are kept either way)
         * @return this
         */
        public Builder recordEvents(boolean on) {
            this.recordEvents = on;
            return this;
        }

        /**
         * @param clock the clock for event timestamps
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Serves the REST trades and quotes endpoints on a port of their own ({@link FakeRestApi}),
         * and makes the generator trade every universe ticker whether or not a session holds it, so
         * a client's gap has data to fetch.
         *
         * @param on whether to serve them; default off
         * @return this
         */
        public Builder restApi(boolean on) {
            this.restApi = on;
            return this;
        }

        /**
         * @param port the REST API's port; 0 (the default) picks a free one. A fixed port lets a
         *     restarted server keep the URL a client was given
         * @return this
         */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        /**
         * @param rows the most rows a REST page holds whatever the client's limit; default 50,000
         * @return this
         */
        public Builder restPageSize(int rows) {
            this.restPageSize = rows;
            return this;
        }

        /**
         * @param market the market record to use; give a restarted server its predecessor's so the
         *     history and unique trade ids carry over. Default a new one
         * @return this
         */
        public Builder market(FakeMarket market) {
            this.market = market;
            return this;
        }

        /**
         * @return a server, not yet started
         */
        public FakeMassiveServer build() {
            return new FakeMassiveServer(this);
        }
    }
}
