package io.tickmux.fake;

import io.tickmux.spi.event.MarketEvent;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
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
 * <p>Its parts, one job each: {@code WebSocketGlue} (the socket server underneath), {@code
 * SessionRegistry} (the sessions), {@code ProtocolHandler} (greeting, auth, subscribe and
 * unsubscribe, with {@code ControlMessage}, {@code KeyPolicy} and {@code TopicPolicy}), {@code
 * ConnectionCap} (the connection cap per key), {@code EventFeed} and {@code EventSynthesizer}
 * (published and generated events), {@code FrameSender} and {@code FrameBatcher} (frames, acks and
 * aborts); this class wires them and answers the tests.
 *
 * <p>Thread-safe. Start it with {@link #start()}; clients connect to {@link #url()}.
 */
public final class FakeMassiveServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeMassiveServer.class);

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

    private final String host;
    private final SSLContext tls;
    private final double eventsPerSecond;
    private final FakeMarket market;
    private final FakeRestApi rest;
    private final ScheduledExecutorService timers;
    private final SessionRegistry sessions;
    private final ConnectionCap<FakeSession> cap;
    private final EventFeed feed;
    private final WebSocketGlue ws;

    private FakeMassiveServer(Builder b) {
        this.host = b.host;
        this.tls = b.tls;
        this.eventsPerSecond = b.eventsPerSecond;
        this.market = b.market != null ? b.market : new FakeMarket();
        KeyPolicy keys =
                new KeyPolicy(b.acceptAnyKey, b.acceptedKeys, b.rejectedKeys, b.unentitledKeys);
        this.rest =
                b.restApi
                        ? new FakeRestApi(b.host, b.restPort, b.restPageSize, market, keys::valid)
                        : null;
        this.timers =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "fake-massive-timer");
                            t.setDaemon(true);
                            return t;
                        });
        FrameSender sender =
                new FrameSender(
                        new FrameBatcher(b.maxEventsPerFrame, b.maxFrameBytes, b.ackFraming),
                        b.recordEvents,
                        timers,
                        this::writeDemand);
        this.sessions = new SessionRegistry(b.clock, sender);
        this.cap = new ConnectionCap<>(b.connectionCap, FakeSession::isOpen);
        ProtocolHandler protocol =
                new ProtocolHandler(
                        keys,
                        new TopicPolicy(b.unknownPrefixes, b.notAuthorizedPrefixes),
                        cap,
                        b.evictionClose,
                        sender,
                        timers,
                        b.authTimeout);
        this.feed =
                new EventFeed(
                        sessions,
                        new EventSynthesizer(market, b.universe, b.restApi),
                        sender,
                        market,
                        b.restApi,
                        b.clock,
                        timers);
        this.ws = new WebSocketGlue(new InetSocketAddress(b.host, b.port), sessions, protocol);
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
        ws.startAndAwait(tls);
        if (rest != null) {
            rest.start();
        }
        if (eventsPerSecond > 0) {
            startGenerator(eventsPerSecond);
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
        return (tls != null ? "wss://" : "ws://") + host + ":" + port() + "/stocks";
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
        return sessions.all();
    }

    /**
     * @return the sessions whose socket is open and authenticated, oldest first
     */
    public List<FakeSession> liveSessions() {
        return sessions.live();
    }

    /**
     * The newest open, authenticated session that authenticated with a key.
     *
     * @param key the API key
     * @return the session
     * @throws IllegalStateException when there is none
     */
    public FakeSession liveSession(String key) {
        return sessions.newestLive(key);
    }

    /**
     * The newest open, authenticated session that holds a ticker on some channel.
     *
     * @param ticker the ticker
     * @return the session, or {@code null} when none holds it
     */
    public FakeSession sessionHolding(String ticker) {
        return sessions.newestHolding(ticker);
    }

    /**
     * @return evictions for exceeding the per-key connection cap, since start
     */
    public long evictions() {
        return cap.evictions();
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
        return sessions.connections();
    }

    /**
     * @param key a key
     * @return the most authenticated connections of the key ever open at once (as the server saw
     *     them when each authenticated, before evicting any)
     */
    public int maxOpenWithKey(String key) {
        return sessions.maxOpenWithKey(key);
    }

    /**
     * Events sent for a ticker across every session since start.
     *
     * @param ticker the ticker
     * @return the count
     */
    public long sentCount(String ticker) {
        return sessions.sentCount(ticker);
    }

    /**
     * Sends events to every session subscribed to their topic (exact or wildcard), batched into
     * frames under the frame limit, and records them. Sequence numbers and trade ids are the
     * caller's.
     *
     * @param events the events, in order
     */
    public void publish(List<? extends MarketEvent> events) {
        feed.publish(events);
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
        return feed.generateOnce();
    }

    /**
     * Starts generating rounds at a fixed rate.
     *
     * @param roundsPerSecond rounds per second: each ticker gets this many events per second per
     *     channel
     */
    public void startGenerator(double roundsPerSecond) {
        feed.start(roundsPerSecond);
    }

    /** Stops the generator; a round in progress finishes first. */
    public void stopGenerator() {
        feed.stop();
    }

    @Override
    public void close() {
        feed.stop();
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

    private void writeDemand(WebSocket socket) {
        ws.onWriteDemand(socket);
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
        private SSLContext tls;
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
        public Builder tls(SSLContext context) {
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
