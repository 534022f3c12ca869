package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.tck.TransportHost;
import io.tickmux.transport.massive.internal.MassiveConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code max-frame-size} and {@code allow-cleartext}: a cleartext {@code ws://} URL to anything but
 * loopback is refused, whether the settings come from configuration, a connection's overrides, or
 * code.
 */
class CleartextAndFrameLimitSettingsTest {

    private static final String KEY = "SECRETKEY-cleartext-0123";

    private static Config conf(String s) {
        return ConfigFactory.parseString(s)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void defaults() {
        MassiveSettings s = MassiveSettings.from(ConfigFactory.defaultReference());
        assertThat(s.maxFrameSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(s.allowCleartext()).isFalse();
        assertThat(
                        MassiveSettings.from(
                                        conf("tickmux.transport.massive.max-frame-size = 1MiB"))
                                .maxFrameSize())
                .isEqualTo(1024 * 1024);
        assertThat(
                        MassiveSettings.from(
                                        conf("tickmux.transport.massive.max-frame-size = 2000000"))
                                .maxFrameSize())
                .isEqualTo(2_000_000);
    }

    @Test
    void aFrameLimitThatIsNoSizeOrTooSmallIsAProblem() {
        assertThatThrownBy(
                        () ->
                                MassiveSettings.from(
                                        conf("tickmux.transport.massive.max-frame-size = banana")))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining(
                        "tickmux.transport.massive.max-frame-size = 'banana' is not a size");
        assertThatThrownBy(
                        () ->
                                MassiveSettings.from(
                                        conf("tickmux.transport.massive.max-frame-size = 1KiB")))
                .hasMessageContaining("max-frame-size = 1KiB is out of range: use 65536..");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ws://192.0.2.10:8765/stocks",
                "ws://socket.massive.com/stocks",
                "ws://127.0.0.1.evil.example/stocks",
                "ws://localhost.evil.example/stocks",
                "WS://10.0.0.1/stocks"
            })
    void cleartextToAnythingButLoopbackIsRefusedUnlessAllowed(String url) {
        assertThatThrownBy(
                        () ->
                                MassiveSettings.from(
                                        conf(
                                                "tickmux.transport.massive { url = \""
                                                        + url
                                                        + "\", api-key = \""
                                                        + KEY
                                                        + "\" }")))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("is cleartext (ws://) to a host other than loopback")
                .hasMessageContaining("allow-cleartext = true")
                .message()
                .doesNotContain(KEY);
        MassiveSettings allowed =
                MassiveSettings.from(
                        conf(
                                "tickmux.transport.massive { url = \""
                                        + url
                                        + "\", allow-cleartext = true }"));
        assertThat(allowed.allowCleartext()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ws://127.0.0.1:8765/stocks",
                "ws://127.1.2.3/stocks",
                "ws://localhost:8765/stocks",
                "ws://LOCALHOST/stocks",
                "ws://[::1]:8765/stocks",
                "wss://192.0.2.10/stocks",
                "wss://socket.massive.com/stocks"
            })
    void loopbackAndTlsNeedNothing(String url) {
        MassiveSettings s =
                MassiveSettings.from(conf("tickmux.transport.massive.url = \"" + url + "\""));
        assertThat(s.cleartextProblem()).isEmpty();
    }

    @Test
    void aConnectionsOwnUrlIsHeldToTheSameRule() {
        Config root = conf("tickmux.transport.massive.api-key = global");
        try (TransportHost host = TransportHost.start(new MassiveTransportFactory(), root)) {
            assertThatThrownBy(
                            () ->
                                    host.create(
                                            new ConnectionSpec(
                                                    "c2",
                                                    "c2",
                                                    ConfigFactory.parseString(
                                                            "url = \"ws://192.0.2.10/stocks\"")),
                                            null))
                    .isInstanceOf(TickmuxConfigException.class)
                    .hasMessageContaining("connection 'c2': tickmux.transport.massive.url =")
                    .hasMessageContaining("is cleartext");
        }
    }

    @Test
    void settingsBuiltInCodeAreHeldToTheSameRule() {
        MassiveSettings inCode =
                new MassiveSettings(
                        URI.create("ws://192.0.2.10/stocks"),
                        Secret.of(KEY),
                        List.of(EventKind.TRADE),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        100,
                        Duration.ofSeconds(1),
                        MassiveSettings.MIN_FRAME_SIZE,
                        false,
                        MassiveSettings.Parsing.READ_THREAD,
                        64);
        assertThatThrownBy(
                        () ->
                                new MassiveConnection(
                                        ConnectionSpec.of("c1"),
                                        inCode,
                                        null,
                                        null,
                                        new com.fasterxml.jackson.core.JsonFactory()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connection c1:")
                .hasMessageContaining("is cleartext")
                .message()
                .doesNotContain(KEY);
    }
}
