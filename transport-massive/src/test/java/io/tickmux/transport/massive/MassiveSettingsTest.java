package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.tck.TransportHost;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MassiveSettingsTest {

    private static Config conf(String s) {
        return ConfigFactory.parseString(s)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void defaultsArePinned() {
        MassiveSettings s = MassiveSettings.from(ConfigFactory.defaultReference());
        assertThat(s.url()).isEqualTo(URI.create("wss://socket.massive.com/stocks"));
        assertThat(s.channels()).containsExactly(EventKind.TRADE, EventKind.QUOTE);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.authTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.readDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxTopicsPerMessage()).isEqualTo(1000);
        assertThat(s.ackTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theKeyAndUrlComeFromTheEnvironment() {
        MassiveSettings s =
                MassiveSettings.from(
                        io.tickmux.app.Tickmux.load(
                                ConfigFactory.empty(),
                                java.util.Map.of(
                                        "MASSIVE_API_KEY", "from-env",
                                        "MASSIVE_WS_URL", "ws://127.0.0.1:9/stocks")));
        assertThat(s.apiKey().reveal()).isEqualTo("from-env");
        assertThat(s.url()).isEqualTo(URI.create("ws://127.0.0.1:9/stocks"));
    }

    @Test
    void acceptsChannelsAsAListOrACommaString() {
        assertThat(
                        MassiveSettings.from(
                                        conf("tickmux.transport.massive.channels = \"am, a,T,T\""))
                                .channels())
                .containsExactly(
                        EventKind.MINUTE_AGGREGATE, EventKind.SECOND_AGGREGATE, EventKind.TRADE);
        assertThat(
                        MassiveSettings.from(
                                        conf(
                                                "tickmux.transport.massive.channels = [LULD, NOI, FMV]"))
                                .channels())
                .containsExactly(EventKind.LULD, EventKind.IMBALANCE, EventKind.FAIR_MARKET_VALUE);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(
                        () ->
                                MassiveSettings.from(
                                        conf(
                                                "tickmux.transport.massive { url = \"http://x\","
                                                        + " channels = [T, ZZ], read-deadline = 5s,"
                                                        + " ping-interval = 10s, max-topics-per-message"
                                                        + " = 0, ack-timout = 1s }")))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .hasSize(5)
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "url = 'http://x' is not a WebSocket URL"))
                                        .anyMatch(p -> p.contains("'ZZ' is not a stocks channel"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "read-deadline = PT5S must be longer"))
                                        .anyMatch(p -> p.contains("max-topics-per-message = 0"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "did you mean tickmux.transport.massive.ack-timeout")));
        assertThatThrownBy(
                        () -> MassiveSettings.from(conf("tickmux.transport.massive.channels = []")))
                .hasMessageContaining("channels is empty");
    }

    @Test
    void perConnectionOverridesLayerOverTheGlobalSettingsAndNameTheConnection() {
        Config root =
                conf(
                        "tickmux.transport.massive { api-key = global, url = \"ws://127.0.0.1:1/stocks\" }");
        MassiveSettings c2 =
                MassiveSettings.forConnection(
                        root, ConfigFactory.parseString("api-key = second, channels = [AM]"), "c2");
        assertThat(c2.apiKey().reveal()).isEqualTo("second");
        assertThat(c2.channels()).containsExactly(EventKind.MINUTE_AGGREGATE);
        assertThat(c2.url()).isEqualTo(URI.create("ws://127.0.0.1:1/stocks"));
        assertThatThrownBy(
                        () ->
                                MassiveSettings.forConnection(
                                        root, ConfigFactory.parseString("url = nope"), "c3"))
                .hasMessageContaining("connection 'c3': tickmux.transport.massive.url = 'nope'");
    }

    @Test
    void theKeyNeverAppearsInToStringOrErrors() {
        Config root = conf("tickmux.transport.massive.api-key = \"SUPERSECRETKEY-0123456789\"");
        MassiveSettings s = MassiveSettings.from(root);
        assertThat(s.toString()).doesNotContain("SUPERSECRETKEY").contains("****89");
        assertThat(new MassiveTransportFactory().name()).isEqualTo("massive");
        assertThat(s.apiKey().reveal()).isEqualTo("SUPERSECRETKEY-0123456789");
        try (TransportHost noKey =
                TransportHost.start(
                        new MassiveTransportFactory(),
                        conf("tickmux.transport.massive.api-key = \"\""))) {
            assertThatThrownBy(() -> noKey.create(ConnectionSpec.of("c1"), null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no Massive API key: set MASSIVE_API_KEY");
        }
        assertThat(List.of(s.apiKey())).asString().doesNotContain("SUPERSECRET");
    }
}
