package io.tickmux.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quickstart honours every variable of the original application's .env, whatever its
 * application.conf says, and lists every configuration problem at once (issue 16).
 */
class QuickstartEnvironmentTest {

    @Test
    void everyOriginalVariableReachesTheQuickstartsEffectiveSettings() {
        Map<String, String> env =
                Map.ofEntries(
                        Map.entry("USE_MULTI_CONNECTION", "false"),
                        Map.entry("WEBSOCKET_CONNECTIONS_MAX", "2"),
                        Map.entry("WEBSOCKET_ROUTING_STRATEGY", "round-robin"),
                        Map.entry("WEBSOCKET_HEALTH_CHECK_INTERVAL", "45"),
                        Map.entry("WEBSOCKET_AUTO_REBALANCE", "false"),
                        Map.entry("WEBSOCKET_FAILOVER_ENABLED", "false"),
                        Map.entry("WEBSOCKET_CONNECTION_1_ENABLED", "true"),
                        Map.entry("WEBSOCKET_CONNECTION_1_NAME", "alpha"),
                        Map.entry("WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "u:one"),
                        Map.entry("WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT"),
                        Map.entry("WEBSOCKET_CONNECTION_2_ENABLED", "false"),
                        Map.entry("WEBSOCKET_CONNECTION_2_NAME", "beta"),
                        Map.entry("WEBSOCKET_CONNECTION_2_UNIVERSE_KEY", "u:two"),
                        Map.entry("WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM"),
                        Map.entry("WEBSOCKET_CONNECTION_3_ENABLED", "false"),
                        Map.entry("WEBSOCKET_CONNECTION_3_NAME", "gamma"),
                        Map.entry("WEBSOCKET_CONNECTION_3_UNIVERSE_KEY", "u:three"),
                        Map.entry("WEBSOCKET_CONNECTION_3_SYMBOLS", "XOM"),
                        Map.entry("SYMBOL_UNIVERSE_KEY", "u:single"),
                        Map.entry("MASSIVE_API_KEY", "secret-key"),
                        Map.entry("MASSIVE_WS_URL", "wss://delayed.massive.com/stocks"),
                        Map.entry("TICKMUX_HTTP_PORT", "9090"));
        Config c = Quickstart.config(env);
        assertThat(c.getBoolean("tickmux.app.multi-connection")).isFalse();
        assertThat(c.getInt("tickmux.core.max-connections")).isEqualTo(2);
        assertThat(c.getString("tickmux.routing.strategy")).isEqualTo("round-robin");
        assertThat(c.getString("tickmux.core.health-check-interval")).isEqualTo("45");
        assertThat(c.getBoolean("tickmux.core.auto-rebalance")).isFalse();
        assertThat(c.getBoolean("tickmux.core.failover.enabled")).isFalse();
        for (int n = 1; n <= 3; n++) {
            String p = "tickmux.app.connections." + n + ".";
            assertThat(c.getBoolean(p + "enabled")).isEqualTo(n == 1);
            assertThat(c.getString(p + "name"))
                    .isEqualTo(new String[] {"alpha", "beta", "gamma"}[n - 1]);
            assertThat(c.getString(p + "universe-key"))
                    .isEqualTo(new String[] {"u:one", "u:two", "u:three"}[n - 1]);
            assertThat(c.getString(p + "symbols"))
                    .isEqualTo(new String[] {"AAPL,MSFT", "JPM", "XOM"}[n - 1]);
        }
        assertThat(c.getString("tickmux.app.single.universe-key")).isEqualTo("u:single");
        assertThat(c.getString("tickmux.transport.massive.api-key")).isEqualTo("secret-key");
        assertThat(c.getString("tickmux.transport.massive.url"))
                .isEqualTo("wss://delayed.massive.com/stocks");
        assertThat(c.getInt("tickmux.http.port")).isEqualTo(9090);
    }

    @Test
    void theNewUsersMistakesAreAllReportedInOneRun() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Quickstart.run(
                        new String[] {"--duration", "1s"},
                        Map.of(
                                "WEBSOCKET_ROUTING_STRATEGY", "round-robbin",
                                "WEBSOCKET_CONNECTIONS_MAX", "three",
                                "WEBSOCKET_HEALTH_CHECK_INTERVAL", "-5",
                                "TICKMUX_HTTP_PORT", "0"),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("WEBSOCKET_CONNECTIONS_MAX")
                .contains("WEBSOCKET_HEALTH_CHECK_INTERVAL")
                .contains("did you mean 'round-robin'?");
    }
}
