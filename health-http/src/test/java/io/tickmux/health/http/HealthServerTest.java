package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The REST endpoints and metrics, over HTTP on a random port (Javalin's test tools). */
class HealthServerTest {

    private static final String TOKEN = "s3cret-token-value-123";

    private static String body(Response r) {
        return r.body().string();
    }

    @Test
    void connectionsDetailsTickersAndTheSeedHealthShape() throws Exception {
        try (HealthFixture f = new HealthFixture().streaming();
                HealthServer s = HealthServer.create(f.manager, HttpSettings.parse(""))) {
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        String list = body(client.get("/api/websocket/connections"));
                        assertThat(list)
                                .contains("\"id\":\"connection_1\"")
                                .contains("\"name\":\"primary\"")
                                .contains("\"status\":\"connected\"")
                                .contains("\"tickers\":6");
                        await().atMost(HealthFixture.TIMEOUT)
                                .untilAsserted(
                                        () ->
                                                assertThat(f.manager.lagMillis("connection_1"))
                                                        .as("connection_1's lag")
                                                        .isPresent());
                        Response one = client.get("/api/websocket/connections/connection_1");
                        assertThat(one.code()).isEqualTo(200);
                        assertThat(body(one))
                                .contains("\"state\":\"connected\"")
                                .contains("\"pending_acks\":0")
                                .contains("\"queue_depth\":0")
                                .contains("\"dropped_events\":0")
                                .contains("\"lag_ms\":{\"p50\":")
                                .contains("\"reconnects\":0")
                                .contains("\"evictions\":0")
                                .contains("\"last_message_age_ms\"");
                        assertThat(
                                        body(
                                                client.get(
                                                        "/api/websocket/connections/connection_2/tickers")))
                                .isEqualTo(
                                        "{\"id\":\"connection_2\",\"count\":1,\"tickers\":[\"JPM\"]}");
                        String health = body(client.get("/api/websocket/health"));
                        assertThat(health)
                                .contains("\"total_connections\":3")
                                .contains("\"connected\":3")
                                .contains("\"total_tickers\":8")
                                .contains("\"total_ticks\"")
                                .contains("\"total_errors\":0")
                                .contains("\"connections\":{\"connection_1\":{");
                        assertThat(body(client.get("/health/live")))
                                .isEqualTo("{\"status\":\"UP\"}");
                    });
        }
    }

    @Test
    void unknownIdsAre404AndMalformedInputIs400WithAJsonError() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s = HealthServer.create(f.manager, HttpSettings.parse(""))) {
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        Response missing = client.get("/api/websocket/connections/connection_9");
                        assertThat(missing.code()).isEqualTo(404);
                        assertThat(body(missing))
                                .contains(
                                        "\"error\":\"unknown connection 'connection_9': known are"
                                                + " [connection_1, connection_2, connection_3]\"")
                                .contains("\"status\":404");
                        Response bad = client.get("/api/websocket/connections/bad%20id/tickers");
                        assertThat(bad.code()).isEqualTo(400);
                        assertThat(body(bad)).contains("connection id 'bad id' is malformed");
                        Response nowhere = client.get("/api/nothing");
                        assertThat(nowhere.code()).isEqualTo(404);
                        assertThat(body(nowhere))
                                .contains("\"error\":\"no such endpoint GET /api/nothing");
                    });
        }
    }

    @Test
    void rebalanceNeedsTheBearerTokenWhenOneIsSet() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.create(
                                f.manager,
                                HttpSettings.parse("tickmux.http.token = \"" + TOKEN + "\""))) {
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        Response denied = client.post("/api/websocket/rebalance", "", b -> {});
                        assertThat(denied.code()).isEqualTo(401);
                        assertThat(body(denied))
                                .contains("Authorization: Bearer")
                                .doesNotContain(TOKEN);
                        Response wrong =
                                client.post(
                                        "/api/websocket/rebalance",
                                        "",
                                        b -> b.header("Authorization", "Bearer nope"));
                        assertThat(wrong.code()).isEqualTo(401);
                        Response ok =
                                client.post(
                                        "/api/websocket/rebalance",
                                        "",
                                        b -> b.header("Authorization", "Bearer " + TOKEN));
                        assertThat(ok.code()).isEqualTo(200);
                        assertThat(body(ok))
                                .contains("\"moved\":0")
                                .contains("\"before\":{\"connection_1\":6");
                        for (String path :
                                new String[] {
                                    "/",
                                    "/api/websocket/health",
                                    "/api/websocket/connections",
                                    "/metrics"
                                }) {
                            assertThat(body(client.get(path))).as(path).doesNotContain(TOKEN);
                        }
                    });
        }
    }

    @Test
    void readinessFollowsCoverageDegradedWhileReHomedFailedWhenNothingIsConnected()
            throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s = HealthServer.create(f.manager, HttpSettings.parse(""))) {
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        assertThat(client.get("/health/ready").code()).isEqualTo(200);
                        assertThat(body(client.get("/health/ready")))
                                .startsWith("{\"status\":\"READY\"");
                        // Its tickers are re-homed on the others: still covered, so 200.
                        f.mock.connection("connection_2").drop();
                        await().atMost(HealthFixture.TIMEOUT)
                                .untilAsserted(
                                        () ->
                                                assertThat(body(client.get("/health/ready")))
                                                        .as("/health/ready")
                                                        .contains("\"status\":\"DEGRADED\"")
                                                        .contains("\"uncovered_tickers\":0")
                                                        .contains(
                                                                "\"id\":\"connection_2\",\"state\":\"reconnecting\""));
                        assertThat(client.get("/health/ready").code()).isEqualTo(200);
                        f.mock.connection("connection_1").drop();
                        f.mock.connection("connection_3").drop();
                        await().atMost(HealthFixture.TIMEOUT)
                                .untilAsserted(
                                        () ->
                                                assertThat(f.manager.healthStatus().connected())
                                                        .as("connected")
                                                        .isZero());
                        assertThat(body(client.get("/health/ready")))
                                .contains("\"status\":\"FAILED\"");
                        assertThat(client.get("/health/ready").code()).isEqualTo(503);
                    });
        }
    }

    @Test
    void metricsArePrometheusTextFromTheManagersRegistry() throws Exception {
        try (HealthFixture f = new HealthFixture().streaming();
                HealthServer s = HealthServer.create(f.manager, HttpSettings.parse(""))) {
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().totalTicks())
                                            .as("ticks")
                                            .isPositive());
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        Response m = client.get("/metrics");
                        assertThat(m.code()).isEqualTo(200);
                        assertThat(m.headers().get("Content-Type"))
                                .anyMatch(v -> v.startsWith("text/plain"));
                        assertThat(body(m))
                                .contains(
                                        "tickmux_connection_messages_total{connection=\"connection_1\"}")
                                .contains("tickmux_connection_up{connection=\"connection_2\"} 1.0")
                                .contains("tickmux_dispatch_dropped_total")
                                .contains("tickmux_connection_lag_milliseconds");
                    });
        }
    }

    @Test
    void theDashboardShowsEachGapsBackfillOutcomeAndHealthCountsThem() throws Exception {
        io.tickmux.transport.mock.MockTransport mock =
                new io.tickmux.transport.mock.MockTransport();
        try (var m =
                        io.tickmux.core.MultiConnectionManager.builder()
                                .settings(
                                        io.tickmux.core.CoreSettings.parse(
                                                "tickmux.core.reconnect { initial-delay = 20ms,"
                                                        + " max-delay = 20ms }"))
                                .transport(mock)
                                .backfill(
                                        (gap, recovered) ->
                                                new io.tickmux.spi.backfill.BackfillHook.Result(
                                                        io.tickmux.spi.event.StatusEvent.Backfill
                                                                .Outcome.PARTLY_FILLED,
                                                        2,
                                                        "max-pages-per-gap 2 reached"))
                                .connection(io.tickmux.core.ConnectionDefinition.of("c1"))
                                .build();
                HealthServer s =
                        HealthServer.start(
                                m,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, push-interval = 50ms }"))) {
            assertThat(
                            m.connectAll(
                                    java.util.Map.of("c1", java.util.List.of("AAPL")),
                                    HealthFixture.TIMEOUT))
                    .isTrue();
            try (SseReader reader = new SseReader(s.port())) {
                mock.connection("c1").drop();
                await().atMost(HealthFixture.TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(reader.lastData)
                                                .contains("\"type\":\"backfill partly-filled\"")
                                                .contains("backfill AAPL ")
                                                .contains(": partly-filled, 0 events, 2 pages, ")
                                                .contains("(max-pages-per-gap 2 reached)")
                                                .contains("\"partly_filled\":1"));
            }
            String health =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            "http://127.0.0.1:"
                                                                    + s.port()
                                                                    + "/api/websocket/health"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(health)
                    .contains("\"backfill\":{\"enabled\":true")
                    .contains("\"outcome\":\"partly-filled\"");
        }
    }

    @Test
    void metricsExplainTheFixWhenTheRegistryIsNotPrometheus() throws Exception {
        try (var m =
                        io.tickmux.core.MultiConnectionManager.builder()
                                .transport(new io.tickmux.transport.mock.MockTransport())
                                .build();
                HealthServer s = HealthServer.create(m, HttpSettings.parse(""))) {
            JavalinTest.test(
                    s.app(),
                    (server, client) -> {
                        Response r = client.get("/metrics");
                        assertThat(r.code()).isEqualTo(503);
                        assertThat(body(r)).contains("PrometheusMeterRegistry");
                        assertThat(body(client.get("/health/ready"))).contains("NO_CONNECTIONS");
                    });
        }
    }

    @Test
    void settingsDefaultToLoopbackAndRefuseAnOpenNonLoopbackBind() {
        HttpSettings d = HttpSettings.parse("");
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.enabled()).isTrue();
        assertThat(d.token().isEmpty()).isTrue();
        assertThat(d.pushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.recentEvents()).isEqualTo(50);
        assertThatThrownBy(() -> HttpSettings.parse("tickmux.http.host = \"0.0.0.0\""))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining(
                        "tickmux.http.host = '0.0.0.0' is not a loopback address, so tickmux.http.token must be set");
        HttpSettings open =
                HttpSettings.parse(
                        "tickmux.http { host = \"0.0.0.0\", token = \"" + TOKEN + "\" }");
        assertThat(open.toString()).doesNotContain(TOKEN);
        assertThat(HttpSettings.parse("tickmux.http.host = localhost").host())
                .isEqualTo("localhost");
    }

    @Test
    void startBindsTheConfiguredHostAndStops() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var r =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(
                                                    "http://127.0.0.1:"
                                                            + s.port()
                                                            + "/health/live"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(f.manager.healthStatus().connections())
                    .allMatch(c -> c.state() == ConnectionState.CONNECTED);
        }
    }
}
