package io.tickmux.health.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST answers over one manager, and the JSON errors they and the router raise: 400 for a
 * malformed id, 404 for an unknown one or an unknown path, 405, 409 for a second rebalance while
 * one runs, 500 (logged, never with a stack trace), 503 for metrics that are not Prometheus'. Each
 * error echoes at most 64 characters of what the request named ({@link #shorten}).
 */
final class Endpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final MultiConnectionManager manager;
    private final GatewayRole role;
    private final Readiness readiness;
    private final ReentrantLock rebalancing = new ReentrantLock();

    /**
     * @param manager the manager to report on and control
     * @param role the gateway's role; null when not part of an active/standby pair
     */
    Endpoints(MultiConnectionManager manager, GatewayRole role) {
        this.manager = manager;
        this.role = role;
        this.readiness = new Readiness(manager, role);
    }

    /** {@code GET /api/websocket/connections}. */
    void connections(Context ctx) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ConnectionHealth c : manager.healthStatus().connections()) {
            list.add(HealthJson.summary(c));
        }
        ctx.json(Map.of("connections", list));
    }

    /** {@code GET /api/websocket/connections/{id}}. */
    void connection(Context ctx) {
        ConnectionHealth c = find(ctx);
        if (c == null) {
            return;
        }
        Map<String, Object> m = HealthJson.summary(c);
        HealthStatus h = manager.healthStatus();
        m.put("queue_depth", h.queueDepth());
        m.put("dropped_events", h.droppedEvents());
        m.put("lag_ms", HealthJson.lag(manager.lagMillis(c.id())));
        ctx.json(m);
    }

    /** {@code GET /api/websocket/connections/{id}/tickers}. */
    void tickers(Context ctx) {
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

    /**
     * {@code POST /api/websocket/rebalance}, one at a time: a second request while one runs is
     * answered 409 at once, not queued.
     */
    void rebalance(Context ctx) {
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

    /** {@code GET /api/websocket/health}. */
    void health(Context ctx) {
        ctx.json(HealthJson.health(manager.healthStatus(), role));
    }

    /** {@code GET /health/live}. */
    void live(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    /** {@code GET /health/ready}: see {@link Readiness}. */
    void ready(Context ctx) {
        Readiness.Answer a = readiness.answer();
        ctx.status(a.status()).json(a.body());
    }

    /** {@code GET /metrics}. */
    void metrics(Context ctx) {
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

    /** A request that named something malformed. */
    void badRequest(BadRequest e, Context ctx) {
        error(ctx, 400, e.getMessage());
    }

    /** An endpoint that threw: logged, answered without its detail. */
    void failed(Exception e, Context ctx) {
        LOG.error("health endpoint {} failed", shorten(ctx.path()), e);
        error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
    }

    /** No such path; an endpoint's own 404 (an unknown connection) is left as it is. */
    void notFound(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) {
            error(
                    ctx,
                    404,
                    "no such endpoint "
                            + ctx.method()
                            + " "
                            + shorten(ctx.path())
                            + ": see /api/websocket/connections, /api/websocket/health,"
                            + " /health/ready, /metrics");
        }
    }

    /** A path that exists, with another method. */
    void notAllowed(Context ctx) {
        error(ctx, 405, "method " + ctx.method() + " not allowed on " + shorten(ctx.path()));
    }

    private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry r) {
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

    /** What a request named, cut to 64 characters with control characters escaped, to echo. */
    static String shorten(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return s.length() > 64 ? sb + "… (" + s.length() + " characters)" : sb.toString();
    }

    /** The connection a path names; null after answering 404 when there is none. */
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

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        ctx.status(status).json(m);
    }

    /** A request that names something malformed: answered 400. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
