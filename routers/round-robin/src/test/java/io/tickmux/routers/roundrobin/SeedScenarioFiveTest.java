package io.tickmux.routers.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import io.tickmux.core.Catalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed's scenario 5 through the whole assembly, and composition: this module's test classpath
 * holds only core, this router and the mock transport (no Massive transport, no HTTP module), and
 * the application assembles and runs.
 */
class SeedScenarioFiveTest {

    @Test
    void oneUniverseSpreadsOverAllEnabledConnectionsFromTheEnvironment() throws Exception {
        List<String> top100 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            top100.add("L" + i);
        }
        var root =
                Tickmux.load(
                        ConfigFactory.parseMap(
                                Map.of(
                                        "tickmux.app.transport",
                                        "mock",
                                        "tickmux.app.universes.hocon.\"market_leaders:top_100\"",
                                        top100)),
                        Map.of(
                                "USE_MULTI_CONNECTION", "true",
                                "WEBSOCKET_ROUTING_STRATEGY", "round-robin",
                                "WEBSOCKET_CONNECTION_1_ENABLED", "true",
                                "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "market_leaders:top_100",
                                "WEBSOCKET_CONNECTION_2_ENABLED", "true",
                                "WEBSOCKET_CONNECTION_3_ENABLED", "true"));
        Catalogue catalogue = Catalogue.load();
        assertThat(catalogue.transportNames()).containsExactly("mock");
        assertThat(catalogue.routerNames()).containsExactly("manual", "round-robin");
        try (Tickmux app = Tickmux.builder(root).build()) {
            app.start();
            assertThat(app.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            var m = app.manager();
            assertThat(m.tickersOf("connection_1").orElseThrow()).hasSize(34);
            assertThat(m.tickersOf("connection_2").orElseThrow()).hasSize(33);
            assertThat(m.tickersOf("connection_3").orElseThrow()).hasSize(33);
            // Connections 2 and 3 have no tickers of their own, which is the point of the
            // scenario: the router fills them, so they are not reported as idle.
            assertThat(app.notes()).isEmpty();
        }
    }

    @Test
    void theSameScenarioWrittenInHocon() throws Exception {
        List<String> top100 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            top100.add("L" + i);
        }
        var root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                        "tickmux { app { transport = mock, multi-connection = true,"
                                                + " connections { 1.universe-key ="
                                                + " \"market_leaders:top_100\", 2.enabled = true,"
                                                + " 3.enabled = true } }, routing.strategy ="
                                                + " round-robin }")
                                .withFallback(
                                        ConfigFactory.parseMap(
                                                Map.of(
                                                        "tickmux.app.universes.hocon.\"market_leaders:top_100\"",
                                                        top100))),
                        Map.of());
        try (Tickmux app = Tickmux.builder(root).build()) {
            app.start();
            assertThat(app.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            assertThat(app.manager().healthStatus().connections())
                    .extracting(c -> c.tickers())
                    .containsExactly(34, 33, 33);
        }
    }
}
