package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP server's settings are listed with every other configuration problem (issue 16). */
class HealthExtensionTest {

    @Test
    void badHttpSettingsAreListedTogetherWithTheCoreOnes() {
        assertThatThrownBy(
                        () ->
                                Tickmux.builder(
                                                Tickmux.load(
                                                        ConfigFactory.parseString(
                                                                "tickmux.app.transport = mock\n"
                                                                        + "tickmux.app.single.symbols = AAPL\n"
                                                                        + "tickmux.http.prot = 8080\n"),
                                                        Map.of("WEBSOCKET_CONNECTIONS_MAX", "0")))
                                        .extensions(List.of(new HealthExtension()))
                                        .build())
                .hasMessageContaining("WEBSOCKET_CONNECTIONS_MAX")
                .hasMessageContaining(
                        "unknown key tickmux.http.prot: did you mean tickmux.http.port?");
    }
}
