package io.tickmux.health.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.tickmux.app.GatewayRole;
import io.tickmux.core.MultiConnectionManager;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
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
 *
 * <p>This class wires the parts and owns their life: the Javalin app on Jetty (its worker threads
 * {@code tickmux-http}, its limits, its error handlers), the routes and start and stop. The parts,
 * each with one job: {@link Endpoints} (the REST answers and their JSON errors), {@link Readiness}
 * ({@code /health/ready}), {@link Guard} and {@link Access} (who may call what, the bearer token),
 * {@link DashboardPage} and {@link DashboardFeed} (the page, and the snapshots it streams, with
 * {@link RecentEvents} and {@link SnapshotStreams}), {@link JsonErrors} (errors raised outside an
 * endpoint).
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    /** Worker threads: requests are short and streams hold none, so a few are plenty. */
    private static final int THREADS = 24;

    private static final String STREAM = "/api/websocket/stream";

    private final HttpSettings settings;
    private final DashboardFeed feed;
    private final QueuedThreadPool threads;
    private final Javalin app;

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
            GatewayRole role) {
        requireNonNull(manager, "manager is null");
        this.settings = requireNonNull(settings, "settings is null");
        ObjectMapper json = new ObjectMapper();
        Endpoints api = new Endpoints(manager, role);
        DashboardPage page = new DashboardPage();
        DashboardFeed dashboard = new DashboardFeed(manager, settings, role, json);
        this.feed = dashboard;
        this.threads = new QueuedThreadPool(THREADS, 2, 60_000);
        threads.setName("tickmux-http");
        this.app =
                Javalin.create(
                        config -> {
                            config.jsonMapper(new JavalinJackson(json, false));
                            config.startup.showJavalinBanner = false;
                            jetty(config, sendBufferSize);
                            routes(config, api, page);
                            config.events.serverStopping(dashboard::stopStreams);
                        });
    }

    /**
     * Jetty under the app: the configured host and port (whoever starts the app, {@link #start} or
     * JavalinTest's {@code start(0)}, binds them; the {@link Guard} holds the loopback rule either
     * way), the named worker threads, the size limits, JSON errors, the {@link Guard} in front of
     * everything and the dashboard stream's servlet.
     */
    private void jetty(JavalinConfig config, int sendBufferSize) {
        config.jetty.host = settings.host();
        config.jetty.port = settings.port();
        config.jetty.threadPool = threads;
        if (sendBufferSize > 0) {
            config.jetty.addConnector(
                    (server, http) -> {
                        ServerConnector c =
                                new ServerConnector(server, new HttpConnectionFactory(http));
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
                server -> server.setErrorHandler(new JsonErrors.CoreHandler(settings)));
        config.jetty.modifyServletContextHandler(
                h -> {
                    h.setErrorHandler(new ServletErrorHandler(settings));
                    h.addFilter(
                            new FilterHolder(new Guard(settings)),
                            "/*",
                            EnumSet.of(DispatcherType.REQUEST));
                    ServletHolder stream = new ServletHolder(feed.streams());
                    stream.setAsyncSupported(true);
                    h.addServlet(stream, STREAM);
                });
    }

    private static void routes(JavalinConfig config, Endpoints api, DashboardPage page) {
        config.routes.get("/", page::page);
        config.routes.get("/dashboard.js", page::script);
        config.routes.get("/dashboard.css", page::style);
        config.routes.get("/api/websocket/connections", api::connections);
        config.routes.get("/api/websocket/connections/{id}", api::connection);
        config.routes.get("/api/websocket/connections/{id}/tickers", api::tickers);
        config.routes.post("/api/websocket/rebalance", api::rebalance);
        config.routes.get("/api/websocket/health", api::health);
        config.routes.get("/health/live", api::live);
        config.routes.get("/health/ready", api::ready);
        config.routes.get("/metrics", api::metrics);
        config.routes.exception(Endpoints.BadRequest.class, api::badRequest);
        config.routes.exception(Exception.class, api::failed);
        config.routes.error(404, api::notFound);
        config.routes.error(405, api::notAllowed);
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
            MultiConnectionManager manager, HttpSettings settings, GatewayRole role) {
        return start(new HealthServer(manager, settings, -1, role), settings);
    }

    /** For tests: started with each accepted socket's send buffer set to this many bytes. */
    static HealthServer start(
            MultiConnectionManager manager, HttpSettings settings, int sendBufferSize) {
        return start(new HealthServer(manager, settings, sendBufferSize, null), settings);
    }

    private static HealthServer start(HealthServer s, HttpSettings settings) {
        s.app.start(settings.host(), settings.port());
        s.feed.start();
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
        s.feed.start();
        return s;
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
        return feed.streams().stats();
    }

    /**
     * @return the server's worker threads busy now (a stalled stream holds none)
     */
    int busyThreads() {
        return threads.getBusyThreads();
    }

    @Override
    public void close() {
        feed.close();
        app.stop();
    }
}
