package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent.ConnectionStateChanged;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API key never appears in a log line, a status event, health output or a metric. */
class SecretLeakTest {

    private static final String GOOD = "SECRETGOODKEY-7f3a9c1d2e";
    private static final String BAD = "SECRETBADKEY-0b8e6a4f2c";

    @Test
    void theKeyIsInNoLogStatusHealthOrMetric() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        String health;
        StringBuilder everythingElse = new StringBuilder();
        try {
            FakeMassiveServer server = FakeMassiveServer.builder().rejectKeys(BAD).build().start();
            try (MassiveFixture f =
                    new MassiveFixture(server, "", "", Map.of("c1", GOOD, "c2", BAD))) {
                f.manager.connectAll(Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")));
                f.status.next(ConnectionStateChanged.class, e -> e.to() == ConnectionState.FAILED);
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.health("c1").state())
                                                .isEqualTo(ConnectionState.CONNECTED));
                server.liveSession(GOOD).abort();
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(f.health("c1").reconnects()).isEqualTo(1));
                assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
                health = f.manager.healthStatus().toMap().toString();
                f.status.all().forEach(e -> everythingElse.append(e).append('\n'));
                for (Meter m : f.manager.meterRegistry().getMeters()) {
                    everythingElse.append(m.getId()).append(' ');
                    m.measure().forEach(x -> everythingElse.append(x).append(' '));
                }
            }
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs)
                .as("the test must have captured our log lines")
                .contains("c2")
                .contains("auth");
        for (String text : List.of(logs, health, everythingElse.toString())) {
            assertThat(text).doesNotContain("SECRETGOODKEY").doesNotContain("SECRETBADKEY");
        }
    }

    @Test
    void theAuthFrameHidesItsPayloadFromFrameLogging() {
        String frame = new io.tickmux.transport.massive.internal.AuthFrameAccess().describe(GOOD);
        assertThat(frame).doesNotContain(GOOD).contains("hidden");
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
