package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.nats.client.Connection;
import io.tickmux.app.Tickmux;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.health.http.HealthServer;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways of a pair in one JVM (the fake Massive server with a cap of two per key, the real
 * NATS, the health server on): roles in health and readiness, a clean stop that hands the lease
 * over without waiting for the ttl, and configuration problems listed at once.
 */
class HaGatewayTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id =
            "g" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String stream = "TMX_" + id.toUpperCase(Locale.ROOT);
    private final String bucket = "ha_" + id;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private String nats;
    private FakeMassiveServer server;

    @BeforeEach
    void setUp() {
        nats = NatsServers.shared();
        server = FakeMassiveServer.builder().connectionCap(2).build().start();
        server.startGenerator(20);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        server.close();
        try (Connection c = NatsServers.connect(nats)) {
            try {
                c.jetStreamManagement().deleteStream(stream);
            } catch (Exception e) {
                // never made
            }
            try {
                c.keyValueManagement().delete(bucket);
            } catch (Exception e) {
                // never made
            }
        }
    }

    private Config config(String gw, String bus, String extra) {
        String hocon =
                "tickmux.app { transport = massive, multi-connection = true,"
                        + " universes.hocon { u1 = [AAPL, NVDA], u2 = [JPM, BAC] },"
                        + " connections { 1 { universe-key = u1 }, 2 { enabled = true,"
                        + " universe-key = u2 } } }\n"
                        + "tickmux.core.max-connections = 2\n"
                        + "tickmux.transport.massive { url = \""
                        + server.url()
                        + "?gw="
                        + gw
                        + "\", api-key = pair-key }\n"
                        + "tickmux.http { enabled = true, port = 0 }\n"
                        + "tickmux.sinks = [nats]\n"
                        + "tickmux.sink.nats { url = \""
                        + bus
                        + "\", subject-prefix = tmx"
                        + id
                        + ", stream { name = "
                        + stream
                        + ", storage = memory } }\n"
                        + "tickmux.ha { mode = active-standby, gateway-id = "
                        + gw
                        + ", url = \""
                        + bus
                        + "\", bucket = "
                        + bucket
                        + ", storage = memory }\n"
                        + extra;
        return Tickmux.load(ConfigFactory.parseString(hocon), Map.of());
    }

    /** A lease of a minute: only a release hands it over within the test's waits. */
    private static final String MINUTE_LEASE =
            "tickmux.ha { ttl = 60s, renew-interval = 5s, safety-margin = 5s }";

    private HaGateway start(String gw, String bus) throws Exception {
        HaGateway g = HaGateway.builder(config(gw, bus, MINUTE_LEASE)).build();
        closing.add(g);
        g.start();
        return g;
    }

    private JsonNode get(HaGateway g, String path, int status) throws Exception {
        int port =
                ((HealthServer)
                                g.application().extensionHandles().stream()
                                        .filter(h -> h instanceof HealthServer)
                                        .findFirst()
                                        .orElseThrow())
                        .port();
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void healthShowsTheRolesAndACleanStopHandsTheLeaseOverAtOnce() throws Exception {
        HaGateway a = start("A", nats);
        await().atMost(LONG).untilAsserted(() -> assertThat(a.active()).as("A active").isTrue());
        assertThat(a.application().awaitSubscribed(LONG)).isTrue();
        TcpProxy busB = TcpProxy.toNats(nats);
        closing.add(busB);
        HaGateway b = start("B", busB.natsUrl());
        await().atMost(LONG)
                .untilAsserted(() -> assertThat(b.role().toMap()).containsEntry("holder", "A"));

        JsonNode readyA = get(a, "/health/ready", 200);
        assertThat(readyA.get("status").asText()).isEqualTo("READY");
        assertThat(readyA.get("ha").get("role").asText()).isEqualTo("active");
        JsonNode readyB = get(b, "/health/ready", 200);
        assertThat(readyB.get("status").asText()).isEqualTo("STANDBY");
        assertThat(readyB.get("ha").get("holder").asText()).isEqualTo("A");
        assertThat(readyB.get("ha").get("epoch").asLong()).isEqualTo(a.epoch());
        JsonNode healthA = get(a, "/api/websocket/health", 200);
        assertThat(healthA.get("ha").get("gateway").asText()).isEqualTo("A");
        assertThat(healthA.get("ha").get("lease").get("valid_for_ms").asLong()).isPositive();
        assertThat(healthA.get("connected").asInt()).isEqualTo(2);
        JsonNode healthB = get(b, "/api/websocket/health", 200);
        assertThat(healthB.get("connected").asInt()).as("a standby connects nothing").isZero();
        assertThat(healthB.get("ha").get("role").asText()).isEqualTo("standby");

        // A standby that cannot reach the lease store could not take over: not ready.
        busB.cut();
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(get(b, "/health/ready", 503).get("status").asText())
                                        .isEqualTo("STANDBY_UNHEALTHY"));
        busB.restore();
        await().atMost(LONG).untilAsserted(() -> get(b, "/health/ready", 200));

        long epochA = a.epoch();
        a.close();
        // Released on a clean stop: B does not wait for A's minute-long lease to expire.
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(b.active()).as("B active").isTrue());
        Switchover s = b.lastSwitchover().orElseThrow();
        assertThat(s.from()).isEqualTo("A");
        assertThat(s.fromEpoch()).isEqualTo(epochA);
        assertThat(s.to()).isEqualTo("B");
        assertThat(s.toEpoch()).isGreaterThan(epochA);
        await().atMost(LONG)
                .untilAsserted(
                        () ->
                                assertThat(b.lastSwitchover().orElseThrow().streaming())
                                        .as("every ticker acknowledged on B")
                                        .isNotNull());
        JsonNode last = get(b, "/api/websocket/health", 200).get("ha").get("last_switchover");
        assertThat(last.get("from").asText()).isEqualTo("A");
        assertThat(last.get("to").asText()).isEqualTo("B");
        assertThat(last.get("took_ms").asLong()).isNotNegative();
        assertThat(server.maxOpenWithKey("pair-key")).isLessThanOrEqualTo(2);
        assertThat(server.evictions()).isZero();
    }

    @Test
    void modeOffIsRefusedAndEveryProblemIsListedWithTheOthers() {
        assertThatThrownBy(
                        () -> HaGateway.builder(config("A", nats, "tickmux.ha.mode = off")).build())
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.ha.mode is off");
        assertThatThrownBy(
                        () ->
                                HaGateway.builder(
                                                config(
                                                        "A",
                                                        nats,
                                                        "tickmux.ha.ttl = 1s\n"
                                                                + "tickmux.core.max-connections ="
                                                                + " 0"))
                                        .build())
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e -> {
                            String all = String.join("\n", ((TickmuxConfigException) e).problems());
                            assertThat(all)
                                    .contains("tickmux.ha.renew-interval")
                                    .contains("tickmux.core.max-connections");
                        });
    }
}
