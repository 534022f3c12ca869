package io.tickmux.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --sink nats} publishes the quickstart's feed to the machine's NATS JetStream
 * (127.0.0.1:4222, which .ci/run starts; the test fails, not skips, when it is down).
 */
class QuickstartSinkTest {

    private static long stored(JetStreamManagement jsm) throws Exception {
        try {
            return jsm.getStreamInfo("TICKMUX").getStreamState().getMsgCount();
        } catch (JetStreamApiException notThereYet) {
            return 0;
        }
    }

    @Test
    void theFeedIsPublishedToJetStreamWithSinkNats() throws Exception {
        Options options =
                new Options.Builder()
                        .server("nats://127.0.0.1:4222")
                        .connectionTimeout(Duration.ofSeconds(10))
                        .build();
        try (Connection nats = Nats.connect(options)) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            long before = stored(jsm);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Quickstart.run(
                            new String[] {"--duration", "4s", "--sink", "nats"},
                            Map.of("TICKMUX_HTTP_PORT", "0"),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(stored(jsm))
                    .as("messages the quickstart stored in the TICKMUX stream")
                    .isGreaterThan(before);
        }
    }
}
