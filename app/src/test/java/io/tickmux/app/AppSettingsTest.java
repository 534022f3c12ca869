package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.CoreSettings;
import io.tickmux.spi.config.MaskedConfig;
import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting of the original .env maps onto its key; the defaults are pinned. */
class AppSettingsTest {

    private static Config env(Map<String, String> vars) {
        return Tickmux.load(ConfigFactory.empty(), vars);
    }

    @Test
    void defaultsArePinned() {
        AppSettings a = AppSettings.from(env(Map.of()));
        assertThat(a.multiConnection()).isFalse();
        assertThat(a.strict()).isFalse();
        assertThat(a.transport()).isEqualTo("massive");
        assertThat(CoreSettings.from(env(Map.of())).failoverEnabled()).isTrue();
        assertThat(a.single()).isEqualTo(new AppSettings.Source("", List.of()));
        assertThat(a.connections())
                .extracting(
                        AppSettings.Connection::id,
                        AppSettings.Connection::enabled,
                        AppSettings.Connection::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("connection_1", true, "primary"),
                        org.assertj.core.groups.Tuple.tuple("connection_2", false, "secondary"),
                        org.assertj.core.groups.Tuple.tuple("connection_3", false, "tertiary"));
        assertThat(a.universeSource()).isEqualTo("hocon");
        assertThat(env(Map.of()).getString("tickmux.routing.strategy")).isEqualTo("manual");
    }

    @Test
    void everyEnvironmentVariableOfTheSeedMapsOntoItsKey() {
        Map<String, String> vars =
                new java.util.HashMap<>(
                        Map.of(
                                "USE_MULTI_CONNECTION", "true",
                                "WEBSOCKET_CONNECTIONS_MAX", "5",
                                "WEBSOCKET_ROUTING_STRATEGY", "round-robin",
                                "WEBSOCKET_HEALTH_CHECK_INTERVAL", "45",
                                "WEBSOCKET_AUTO_REBALANCE", "false",
                                "WEBSOCKET_FAILOVER_ENABLED", "false",
                                "SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test",
                                "MASSIVE_API_KEY", "k"));
        for (int n = 1; n <= 3; n++) {
            vars.put("WEBSOCKET_CONNECTION_" + n + "_ENABLED", n == 2 ? "false" : "true");
            vars.put("WEBSOCKET_CONNECTION_" + n + "_NAME", "name" + n);
            vars.put("WEBSOCKET_CONNECTION_" + n + "_UNIVERSE_KEY", "u:" + n);
            vars.put("WEBSOCKET_CONNECTION_" + n + "_SYMBOLS", "A" + n + ", B" + n);
        }
        Config root = env(vars);
        AppSettings a = AppSettings.from(root);
        CoreSettings core = CoreSettings.from(root);
        assertThat(a.multiConnection()).isTrue();
        assertThat(core.maxConnections()).isEqualTo(5);
        assertThat(root.getString("tickmux.routing.strategy")).isEqualTo("round-robin");
        assertThat(core.healthCheckInterval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(core.autoRebalance()).isFalse();
        assertThat(core.failoverEnabled()).isFalse();
        assertThat(a.single().universeKey()).isEqualTo("stock_etf_test:combo_test");
        for (AppSettings.Connection c : a.connections()) {
            int n = c.number();
            assertThat(c.enabled()).isEqualTo(n != 2);
            assertThat(c.name()).isEqualTo("name" + n);
            assertThat(c.source())
                    .isEqualTo(new AppSettings.Source("u:" + n, List.of("A" + n, "B" + n)));
        }
        assertThat(a.enabledConnections())
                .extracting(AppSettings.Connection::number)
                .containsExactly(1, 3);
    }

    @Test
    void hoconListsAndMoreThanThreeConnectionsWork() {
        Config root = env(Map.of()).withFallback(ConfigFactory.empty());
        root =
                ConfigFactory.parseString(
                                "tickmux.app.connections { 4 { enabled = true, name = fourth, symbols = [X, Y] } }")
                        .withFallback(root);
        AppSettings a = AppSettings.from(root);
        assertThat(a.connections())
                .extracting(AppSettings.Connection::id)
                .containsExactly("connection_1", "connection_2", "connection_3", "connection_4");
        assertThat(a.connections().get(3).source().symbols()).containsExactly("X", "Y");
    }

    @Test
    void everyProblemIsReportedWithItsFullPath() {
        Config root =
                ConfigFactory.parseString(
                                "tickmux.app { multi-conection = true, connections { x { enabled = true },"
                                        + " 2 { enabled = maybe, nmae = a }, 5 = 3 }, universes.source = \"\" }")
                        .withFallback(env(Map.of()));
        assertThatThrownBy(() -> AppSettings.from(root))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .anyMatch(
                                                p ->
                                                        p.equals(
                                                                "unknown key tickmux.app.multi-conection: did you mean tickmux.app.multi-connection?"))
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "tickmux.app.connections.x: connections are numbered"))
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "tickmux.app.connections.2.enabled has the wrong type"))
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "unknown key tickmux.app.connections.2.nmae: did you mean tickmux.app.connections.2.name?"))
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "tickmux.app.connections.5 must be an object"))
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "tickmux.app.universes.source is missing")));
    }

    @Test
    void healthIntervalAcceptsDurationsToo() {
        assertThat(
                        CoreSettings.from(env(Map.of("WEBSOCKET_HEALTH_CHECK_INTERVAL", "1.5")))
                                .healthCheckInterval())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(
                        CoreSettings.parse("tickmux.core.health-check-interval = 2m")
                                .healthCheckInterval())
                .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(
                        () ->
                                CoreSettings.from(
                                        env(Map.of("WEBSOCKET_HEALTH_CHECK_INTERVAL", "soon"))))
                .hasMessageContaining("tickmux.core.health-check-interval");
    }

    @Test
    void theStartupLogMasksSecrets() {
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive.api-key = SECRETKEY123, tickmux.http.token = TOK456,"
                                        + " tickmux.app.single.universe-key = \"u:1\"")
                        .withFallback(env(Map.of()));
        String rendered = MaskedConfig.render(root);
        assertThat(rendered)
                .doesNotContain("SECRETKEY123")
                .doesNotContain("TOK456")
                .contains("****")
                .contains("u:1");
        assertThat(MaskedConfig.render(ConfigFactory.empty())).isEqualTo("{}");
    }
}
