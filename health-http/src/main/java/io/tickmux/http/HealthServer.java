package io.tickmux.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.StatusListener;
import io.tickmux.core.event.StatusEvent;
import io.tickmux.core.internal.NamedThreadFactory;
import io.tickmux.routing.ConnectionState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * GET  /metrics                                Prometheus text format
 * </pre>
 *
 * Errors are JSON ({@code {"error": "...", "status": 404}}). No response ever carries a secret.
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private final MultiConnectionManager manager;
    private final HttpSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Queue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final StatusListener recorder = this::record;
    private final ScheduledExecutorService pusher;
    private final Javalin app;
    private final String dashboard;

    private HealthServer(MultiConnectionManager manager, HttpSettings settings) {
        this.manager = requireNonNull(manager, "manager is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.dashboard = resource("dashboard.html");
        this.pusher =
                Executors.newSingleThreadScheduledExecutor(
                        new NamedThreadFactory("tickmux-http-push"));
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson(json, false));
                            config.startup.showJavalinBanner = false;
                            config.routes.get("/", ctx -> ctx.html(dashboard));
                            config.routes.get("/api/websocket/connections", this::connections);
                            config.routes.get("/api/websocket/connections/{id}", this::connection);
                            config.routes.get(
                                    "/api/websocket/connections/{id}/tickers", this::tickers);
                            config.routes.post("/api/websocket/rebalance", this::rebalance);
                            config.routes.get(
                                    "/api/websocket/health",
                                    ctx -> ctx.json(manager.healthStatus().toMap()));
                            config.routes.sse(
                                    "/api/websocket/stream",
                                    client -> {
                                        client.keepAlive();
                                        client.onClose(() -> clients.remove(client));
                                        clients.add(client);
                                        client.sendEvent("snapshot", snapshotJson());
                                    });
                            config.routes.get(
                                    "/health/live", ctx -> ctx.json(Map.of("status", "UP")));
                            config.routes.get("/health/ready", this::ready);
                            config.routes.get("/metrics", this::metrics);
                            config.routes.exception(
                                    BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
                            config.routes.exception(
                                    Exception.class,
                                    (e, ctx) -> {
                                        LOG.error("health endpoint {} failed", ctx.path(), e);
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
                                                            + ctx.path()
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
                                                            + ctx.path()));
                            config.events.serverStopping(pusher::shutdownNow);
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
        HealthServer s = new HealthServer(manager, settings);
        s.app.start(settings.host(), settings.port());
        s.begin();
        LOG.info(
                "health server on http://{}:{}/ (POST {})",
                settings.host(),
                s.port(),
                settings.token().isEmpty() ? "open: loopback only" : "needs the bearer token");
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

    @Override
    public void close() {
        manager.removeStatusListener(recorder);
        pusher.shutdownNow();
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

    private void rebalance(Context ctx) {
        if (!authorized(ctx)) {
            return;
        }
        ctx.json(manager.rebalanceConnections().toMap());
    }

    private void ready(Context ctx) {
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
                            + id
                            + "' is malformed: use letters, digits, '_', '-' or '.'");
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

    private boolean authorized(Context ctx) {
        if (settings.token().isEmpty()) {
            return true;
        }
        String header = ctx.header("Authorization");
        String expected = "Bearer " + settings.token().reveal();
        if (header != null
                && MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        ctx.header("WWW-Authenticate", "Bearer");
        error(ctx, 401, "POST needs the header 'Authorization: Bearer <tickmux.http.token>'");
        return false;
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
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void push() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            String snapshot = snapshotJson();
            for (SseClient c : clients) {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendEvent("snapshot", snapshot);
                }
            }
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
