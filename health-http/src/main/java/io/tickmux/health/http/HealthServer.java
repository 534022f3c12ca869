package io.tickmux.health.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.config.StrictConfig;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health HTTP server: the seed's REST endpoints, liveness and readiness, Prometheus metrics and
 * a live dashboard, over one {@link MultiConnectionManager}.
 *
 * <pre>
 * GET  /                                       the dashboard (live over server-sent events)
 * GET  /api/websocket/connections              every connection and its status
 * GET  /api/websocket/connections/{id}         one connection in detail
 * GET  /api/websocket/connections/{id}/tickers its tickers
 * POST /api/websocket/rebalance                runs a rebalance, returns the moves (bearer token)
 * GET  /api/websocket/health                   the seed's get_health_status() shape
 * GET  /api/websocket/stream                   server-sent events: a snapshot every push-interval
 * GET  /health/live                            200 while the process serves
 * GET  /health/ready                           200 while every wanted ticker is covered; else 503
 *                                              (a standby of a pair: 200 STANDBY while it could
 *                                              take over, else 503 STANDBY_UNHEALTHY)
 * GET  /metrics                                Prometheus text format
 * </pre>
 *
 * Errors are JSON ({@code {"error": "...", "status": 404}}), whoever raises them (an endpoint, the
 * {@link Guard}, the container or Jetty itself), with no stack trace. No response ever carries a
 * secret.
 *
 * <p>Hardened against hostile browsers and clients: the {@link Guard} refuses cross-site and
 * DNS-rebinding requests, simple cross-site POSTs, bodies over {@code max-body-size} and (with
 * {@code protect-reads}) reads without the token, and sets a Content-Security-Policy and {@code
 * nosniff} on every response; request lines and headers are capped at {@code max-header-size}; the
 * dashboard streams are capped at {@code max-streams} and never block ({@link SnapshotStreams}); a
 * rebalance runs one at a time (409 for a second while one runs). Without a token it answers only
 * on loopback, however the server was built or started.
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    /** Worker threads: requests are short and streams hold none, so a few are plenty. */
    private static final int THREADS = 24;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final String STREAM = "/api/websocket/stream";

    private final MultiConnectionManager manager;
    private final io.tickmux.app.GatewayRole role;
    private final HttpSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final StatusListener recorder = this::record;
    private final ScheduledExecutorService pusher;
    private final Javalin app;
    private final String dashboard;
    private final String script;
    private final String style;
    private final SnapshotStreams streams;
    private final QueuedThreadPool threads;
    private final ReentrantLock rebalancing = new ReentrantLock();

    private HealthServer(MultiConnectionManager manager, HttpSettings settings) {
        this(manager, settings, -1, null);
    }

    /**
     * @param sendBufferSize the kernel send buffer of each accepted socket, or -1 for the system's
     *     default (tests shrink it so a reader that stops reading stalls within a few snapshots)
     */
    private HealthServer(
            MultiConnectionManager manager,
            HttpSettings settings,
            int sendBufferSize,
            io.tickmux.app.GatewayRole role) {
        this.manager = requireNonNull(manager, "manager is null");
        this.role = role;
        this.settings = requireNonNull(settings, "settings is null");
        this.dashboard = resource("dashboard.html");
        this.script = resource("dashboard.js");
        this.style = resource("dashboard.css");
        this.streams = new SnapshotStreams(settings, this::snapshotJson);
        this.threads = new QueuedThreadPool(THREADS, 2, 60_000);
        threads.setName("tickmux-http");
        this.pusher =
                Executors.newSingleThreadScheduledExecutor(Threads.named("tickmux-http-push"));
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson(json, false));
                            config.startup.showJavalinBanner = false;
                            // Whoever starts the app (start(), JavalinTest's start(0)) binds the
                            // configured host; the Guard holds the loopback rule either way.
                            config.jetty.host = settings.host();
                            config.jetty.port = settings.port();
                            config.jetty.threadPool = threads;
                            if (sendBufferSize > 0) {
                                config.jetty.addConnector(
                                        (server, http) -> {
                                            ServerConnector c =
                                                    new ServerConnector(
                                                            server,
                                                            new HttpConnectionFactory(http));
                                            c.setHost(config.jetty.host);
                                            c.setPort(config.jetty.port);
                                            c.setAcceptedSendBufferSize(sendBufferSize);
                                            return c;
                                        });
                            }
                            config.http.maxRequestSize = settings.maxBodySize();
                            config.jetty.modifyHttpConfiguration(
                                    h -> {
                                        h.setRequestHeaderSize(settings.maxHeaderSize());
                                        h.setSendServerVersion(false);
                                        h.setSendXPoweredBy(false);
                                    });
                            config.jetty.modifyServer(
                                    server ->
                                            server.setErrorHandler(
                                                    new JsonErrors.CoreHandler(settings)));
                            config.jetty.modifyServletContextHandler(
                                    h -> {
                                        h.setErrorHandler(new JsonErrors.ServletHandler(settings));
                                        h.addFilter(
                                                new FilterHolder(new Guard(settings)),
                                                "/*",
                                                EnumSet.of(DispatcherType.REQUEST));
                                        ServletHolder stream = new ServletHolder(streams);
                                        stream.setAsyncSupported(true);
                                        h.addServlet(stream, STREAM);
                                    });
                            config.routes.get("/", ctx -> ctx.html(dashboard));
                            config.routes.get(
                                    "/dashboard.js",
                                    ctx ->
                                            ctx.contentType("text/javascript; charset=utf-8")
                                                    .result(script));
                            config.routes.get(
                                    "/dashboard.css",
                                    ctx ->
                                            ctx.contentType("text/css; charset=utf-8")
                                                    .result(style));
                            config.routes.get("/api/websocket/connections", this::connections);
                            config.routes.get("/api/websocket/connections/{id}", this::connection);
                            config.routes.get(
                                    "/api/websocket/connections/{id}/tickers", this::tickers);
                            config.routes.post("/api/websocket/rebalance", this::rebalance);
                            config.routes.get(
                                    "/api/websocket/health", ctx -> ctx.json(healthMap()));
                            config.routes.get(
                                    "/health/live", ctx -> ctx.json(Map.of("status", "UP")));
                            config.routes.get("/health/ready", this::ready);
                            config.routes.get("/metrics", this::metrics);
                            config.routes.exception(
                                    BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
                            config.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.error(
                                                "health endpoint {} failed",
                                                shorten(ctx.path()),
                                                e);
                                        error(
                                                ctx,
                                                500,
                                                "internal error: " + e.getClass().getSimpleName());
                                    });
                            config.routes.error(
                                    404,
                                    ctx -> {
                                        String type = ctx.res().getContentType();
                                        if (type == null || !type.startsWith("application/json")) {
                                            error(
                                                    ctx,
                                                    404,
                                                    "no such endpoint "
                                                            + ctx.method()
                                                            + " "
                                                            + shorten(ctx.path())
                                                            + ": see /api/websocket/connections, /api/websocket/health, /health/ready,"
                                                            + " /metrics");
                                        }
                                    });
                            config.routes.error(
                                    405,
                                    ctx ->
                                            error(
                                                    ctx,
                                                    405,
                                                    "method "
                                                            + ctx.method()
                                                            + " not allowed on "
                                                            + shorten(ctx.path())));
                            config.events.serverStopping(
                                    () -> {
                                        pusher.shutdownNow();
                                        streams.closeAll();
                                    });
                        });
    }

    /**
     * Starts the server on {@code settings.host():settings.port()}.
     *
     * @param manager the manager to report on and control
     * @param settings the HTTP settings
     * @return the running server
     */
    public static HealthServer start(MultiConnectionManager manager, HttpSettings settings) {
        return start(new HealthServer(manager, settings), settings);
    }

    /**
     * Starts the server for a gateway of an active/standby pair: the health JSON and the dashboard
     * show its role ({@code ha}), and readiness of a standby is {@code STANDBY} (200) while it
     * could take over, {@code STANDBY_UNHEALTHY} (503) while it could not.
     *
     * @param manager the manager to report on and control
     * @param settings the HTTP settings
     * @param role the gateway's role; {@code null} for a gateway that is not part of a pair
     * @return the running server
     */
    public static HealthServer start(
            MultiConnectionManager manager,
            HttpSettings settings,
            io.tickmux.app.GatewayRole role) {
        return start(new HealthServer(manager, settings, -1, role), settings);
    }

    /** For tests: started with each accepted socket's send buffer set to this many bytes. */
    static HealthServer start(
            MultiConnectionManager manager, HttpSettings settings, int sendBufferSize) {
        return start(new HealthServer(manager, settings, sendBufferSize, null), settings);
    }

    private Map<String, Object> healthMap() {
        Map<String, Object> m = manager.healthStatus().toMap();
        if (role != null) {
            m = new LinkedHashMap<>(m);
            m.put("ha", role.toMap());
        }
        return m;
    }

    private static HealthServer start(HealthServer s, HttpSettings settings) {
        s.app.start(settings.host(), settings.port());
        s.begin();
        LOG.info(
                "health server on http://{}:{}/ (POST {}; reads {})",
                settings.host(),
                s.port(),
                settings.token().isEmpty()
                        ? "same-origin only: loopback, no token"
                        : "needs the bearer token",
                settings.protectReads() ? "need the bearer token" : "open");
        return s;
    }

    /**
     * The server's Javalin app, not started, for tests with Javalin's test tools.
     *
     * @param manager the manager
     * @param settings the settings
     * @return a server whose {@link #app()} is ready for {@code JavalinTest.test}
     */
    public static HealthServer create(MultiConnectionManager manager, HttpSettings settings) {
        HealthServer s = new HealthServer(manager, settings);
        s.begin();
        return s;
    }

    private void begin() {
        manager.addStatusListener(recorder);
        long every = settings.pushInterval().toMillis();
        pusher.scheduleAtFixedRate(this::push, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * @return the Javalin app
     */
    public Javalin app() {
        return app;
    }

    /**
     * @return the port listened on
     */
    public int port() {
        return app.port();
    }

    /**
     * @return what the dashboard streams have done: open now, opened, refused at the cap, closed
     *     for falling behind, snapshots pushed
     */
    SnapshotStreams.Stats streamStats() {
        return streams.stats();
    }

    /**
     * @return the server's worker threads busy now (a stalled stream holds none)
     */
    int busyThreads() {
        return threads.getBusyThreads();
    }

    @Override
    public void close() {
        manager.removeStatusListener(recorder);
        pusher.shutdownNow();
        streams.closeAll();
        app.stop();
    }

    // ------------------------------------------------------------ endpoints

    private void connections(Context ctx) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ConnectionHealth c : manager.healthStatus().connections()) {
            list.add(summary(c));
        }
        ctx.json(Map.of("connections", list));
    }

    private void connection(Context ctx) {
        ConnectionHealth c = find(ctx);
        if (c == null) {
            return;
        }
        Map<String, Object> m = summary(c);
        HealthStatus h = manager.healthStatus();
        m.put("queue_depth", h.queueDepth());
        m.put("dropped_events", h.droppedEvents());
        m.put("lag_ms", lag(c.id()));
        ctx.json(m);
    }

    private void tickers(Context ctx) {
        ConnectionHealth c = find(ctx);
        if (c == null) {
            return;
        }
        List<String> t = manager.tickersOf(c.id()).orElse(List.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("count", t.size());
        m.put("tickers", t);
        ctx.json(m);
    }

    /** One at a time: a second request while one runs is answered 409 at once, not queued. */
    private void rebalance(Context ctx) {
        if (!rebalancing.tryLock()) {
            error(ctx, 409, "a rebalance is already running: try again when it has finished");
            return;
        }
        try {
            ctx.json(manager.rebalanceConnections().toMap());
        } finally {
            rebalancing.unlock();
        }
    }

    private void ready(Context ctx) {
        if (role != null && !role.active()) {
            // A standby has nothing connected by design: it is ready for its role while it could
            // take over (its lease store answers).
            Map<String, Object> body = new LinkedHashMap<>();
            boolean healthy = role.healthy();
            body.put("status", healthy ? "STANDBY" : "STANDBY_UNHEALTHY");
            body.put("ha", role.toMap());
            ctx.status(healthy ? 200 : 503).json(body);
            return;
        }
        HealthStatus h = manager.healthStatus();
        List<Map<String, Object>> notReady = new ArrayList<>();
        int enabled = 0;
        for (ConnectionHealth c : h.connections()) {
            if (c.state() == ConnectionState.CLOSED) {
                continue;
            }
            enabled++;
            if (c.state() != ConnectionState.CONNECTED || c.pendingAcks() > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("state", kebab(c.state()));
                m.put("pending_acks", c.pendingAcks());
                m.put("cause", c.lastCause());
                notReady.add(m);
            }
        }
        // Readiness follows coverage: 503 only while some wanted ticker is uncovered (or nothing
        // is connected); a connection down whose tickers were re-homed, or a refused ticker, is
        // DEGRADED with 200.
        String status =
                enabled == 0
                        ? "NO_CONNECTIONS"
                        : h.connected() == 0
                                ? "FAILED"
                                : h.uncoveredTickers() > 0
                                        ? "UNCOVERED"
                                        : notReady.isEmpty() && h.refusedTickers().isEmpty()
                                                ? "READY"
                                                : "DEGRADED";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("connections", enabled);
        body.put("connected", h.connected());
        body.put("uncovered_tickers", h.uncoveredTickers());
        body.put("refused", new java.util.TreeMap<>(h.refusedTickers()));
        body.put("not_ready", notReady);
        if (role != null) {
            body.put("ha", role.toMap());
        }
        boolean ok = status.equals("READY") || status.equals("DEGRADED");
        ctx.status(ok ? 200 : 503).json(body);
    }

    private void metrics(Context ctx) {
        Optional<PrometheusMeterRegistry> prom = prometheus(manager.meterRegistry());
        if (prom.isEmpty()) {
            error(
                    ctx,
                    503,
                    "metrics are not in Prometheus form: build the manager with"
                            + " .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))");
            return;
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prom.get().scrape());
    }

    // ------------------------------------------------------------ helpers

    static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry r) {
        if (r instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (r instanceof CompositeMeterRegistry c) {
            for (MeterRegistry inner : c.getRegistries()) {
                Optional<PrometheusMeterRegistry> p = prometheus(inner);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private ConnectionHealth find(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw new BadRequest(
                    "connection id '"
                            + shorten(id)
                            + "' is malformed: use 1 to 128 letters, digits, '_', '-' or '.'");
        }
        for (ConnectionHealth c : manager.healthStatus().connections()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        List<String> known = new ArrayList<>();
        manager.healthStatus().connections().forEach(c -> known.add(c.id()));
        error(ctx, 404, "unknown connection '" + id + "': known are " + known);
        return null;
    }

    /** What a request named, cut to 64 characters with control characters escaped, to echo. */
    static String shorten(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return s.length() > 64 ? sb + "… (" + s.length() + " characters)" : sb.toString();
    }

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        ctx.status(status).json(m);
    }

    private Map<String, Object> summary(ConnectionHealth c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.putAll(c.toMap());
        return m;
    }

    private Map<String, Object> lag(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<double[]> lag = manager.lagMillis(id);
        // Client-side percentiles are approximations; never show one above the recorded max.
        m.put("p50", lag.map(l -> round(Math.min(l[0], l[2]))).orElse(null));
        m.put("p99", lag.map(l -> round(Math.min(l[1], l[2]))).orElse(null));
        m.put("max", lag.map(l -> round(l[2])).orElse(null));
        return m;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10.0) / 10.0;
    }

    private static String kebab(Enum<?> e) {
        return StrictConfig.kebab(e);
    }

    private void record(StatusEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        if (e instanceof StatusEvent.ConnectionStateChanged c) {
            m.put("type", "state");
            m.put("connection", c.connectionId());
            m.put("text", kebab(c.from()) + " → " + kebab(c.to()) + ": " + c.cause());
        } else if (e instanceof StatusEvent.TickersMoved t) {
            m.put("type", "moved");
            m.put("connection", t.toConnection());
            m.put(
                    "text",
                    t.symbols().size()
                            + " tickers "
                            + t.fromConnection()
                            + " → "
                            + t.toConnection()
                            + " ("
                            + t.cause()
                            + ")");
        } else if (e instanceof StatusEvent.Gap g) {
            m.put("type", "gap");
            m.put("connection", g.connectionId());
            m.put(
                    "text",
                    "gap " + g.symbol() + " " + g.from() + " … " + g.to() + " (" + g.cause() + ")");
        } else if (e instanceof StatusEvent.SubscriptionRefused r) {
            m.put("type", "refused");
            m.put("connection", r.connectionId());
            m.put("text", r.symbol() + " refused: " + r.reason());
        } else if (e instanceof StatusEvent.Stale st) {
            m.put("type", "gap");
            m.put("connection", st.connectionId());
            m.put("text", st.symbol() + " silent for " + st.silentFor().toSeconds() + " s");
        } else if (e instanceof StatusEvent.Backfill b) {
            m.put("type", "backfill " + kebab(b.outcome()));
            m.put("connection", b.connectionId());
            m.put(
                    "text",
                    "backfill "
                            + b.symbol()
                            + " "
                            + b.from()
                            + " … "
                            + b.to()
                            + ": "
                            + kebab(b.outcome())
                            + ", "
                            + b.events()
                            + " events, "
                            + b.pages()
                            + " pages, "
                            + b.took().toMillis()
                            + " ms"
                            + (b.detail().isEmpty() ? "" : " (" + b.detail() + ")"));
        } else if (e instanceof StatusEvent.ServerStatus s) {
            m.put("type", "server");
            m.put("connection", s.connectionId());
            m.put("text", s.status() + ": " + s.message());
        }
        synchronized (recent) {
            recent.addFirst(m);
            while (recent.size() > settings.recentEvents()) {
                recent.removeLast();
            }
        }
    }

    private String snapshotJson() {
        HealthStatus h = manager.healthStatus();
        Map<String, Object> m = new LinkedHashMap<>(h.toMap());
        if (role != null) {
            m.put("ha", role.toMap());
        }
        List<Map<String, Object>> cs = new ArrayList<>();
        for (ConnectionHealth c : h.connections()) {
            Map<String, Object> one = summary(c);
            one.put("lag_ms", lag(c.id()));
            cs.add(one);
        }
        m.put("connections", cs);
        synchronized (recent) {
            m.put("recent", new ArrayList<>(recent));
        }
        m.put("post_needs_token", !settings.token().isEmpty());
        m.put("reads_need_token", settings.protectReads());
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void push() {
        try {
            streams.push();
        } catch (RuntimeException e) {
            LOG.warn("dashboard push failed; retrying at the next interval", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HealthServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the tickmux-health-http jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request that names something malformed: answered 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
