package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TickmuxConfigTest {

    @Test
    void everyVariableTheReferenceFilesNameIsFoundWithItsPath() {
        Map<String, String> vars =
                TickmuxConfig.variables(ConfigFactory.defaultReferenceUnresolved());
        assertThat(vars)
                .containsEntry("WEBSOCKET_CONNECTIONS_MAX", "tickmux.core.max-connections")
                .containsEntry(
                        "WEBSOCKET_HEALTH_CHECK_INTERVAL", "tickmux.core.health-check-interval")
                .containsEntry("WEBSOCKET_ROUTING_STRATEGY", "tickmux.routing.strategy")
                .containsEntry("USE_MULTI_CONNECTION", "tickmux.app.multi-connection")
                .containsEntry("SYMBOL_UNIVERSE_KEY", "tickmux.app.single.universe-key");
    }

    @Test
    void theEnvironmentWinsOverApplicationConfAndNamesItselfAsTheOrigin() {
        Config app =
                ConfigFactory.parseString(
                        "tickmux.core.health-check-interval = 30s\n"
                                + "tickmux.app.connections.1.symbols = \"AAPL\"");
        Config c =
                TickmuxConfig.load(
                        app,
                        Map.of(
                                "WEBSOCKET_HEALTH_CHECK_INTERVAL", "-5",
                                "WEBSOCKET_CONNECTION_1_SYMBOLS", "JPM,BAC",
                                "WEBSOCKET_CONNECTION_7_API_KEY", "k7",
                                "a@b", "ignored",
                                "PATH", "/usr/bin"));
        assertThat(c.getString("tickmux.core.health-check-interval")).isEqualTo("-5");
        assertThat(c.getValue("tickmux.core.health-check-interval").origin().description())
                .contains("environment variable WEBSOCKET_HEALTH_CHECK_INTERVAL");
        assertThat(c.getString("tickmux.app.connections.1.symbols")).isEqualTo("JPM,BAC");
        assertThat(c.getString("tickmux.app.connections.7.api-key")).isEqualTo("k7");
        assertThat(c.hasPath("PATH")).isFalse();
    }

    @Test
    void aDotEnvFileIsReadAndTheProcessEnvironmentWinsOverIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.env");
        Files.writeString(
                file,
                "# the original app's .env\nUSE_MULTI_CONNECTION=true\nWEBSOCKET_CONNECTIONS_MAX=2\n");
        Map<String, String> fromFile =
                TickmuxConfig.dotenv(Map.of(TickmuxConfig.ENV_FILE_VARIABLE, file.toString()));
        assertThat(fromFile)
                .containsEntry("USE_MULTI_CONNECTION", "true")
                .containsEntry("WEBSOCKET_CONNECTIONS_MAX", "2");
        Map<String, String> merged =
                TickmuxConfig.environment(
                        Map.of(
                                TickmuxConfig.ENV_FILE_VARIABLE,
                                file.toString(),
                                "WEBSOCKET_CONNECTIONS_MAX",
                                "3"));
        assertThat(merged)
                .containsEntry("USE_MULTI_CONNECTION", "true")
                .containsEntry("WEBSOCKET_CONNECTIONS_MAX", "3");
        assertThatThrownBy(
                        () ->
                                TickmuxConfig.dotenv(
                                        Map.of(
                                                TickmuxConfig.ENV_FILE_VARIABLE,
                                                dir.resolve("missing.env").toString())))
                .hasMessageContaining("TICKMUX_ENV_FILE")
                .hasMessageContaining("missing.env");
    }
}
