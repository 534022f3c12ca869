package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.ConnectionStateChanged;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text a server sends (a status message, a close reason, an auth failure) cannot forge a log line:
 * every log line tickmux writes about it, and every status event, holds it on one line with its
 * control characters escaped.
 */
class ServerTextLogTest {

    private static final String FORGED = "\nERROR io.tickmux.core.Manager - forged line";

    @Test
    void serverTextIsLoggedOnOneLine() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        List<StatusEvent> events;
        try {
            FakeMassiveServer server = FakeMassiveServer.builder().build().start();
            try (MassiveFixture f =
                    new MassiveFixture(server, "", "", Map.of("c1", "key-1", "c2", "key-2"))) {
                assertThat(
                                f.manager.connectAll(
                                        Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")),
                                        TIMEOUT))
                        .isTrue();
                server.liveSession("key-1").sendStatus("warning", "status" + FORGED);
                f.status.next(StatusEvent.ServerStatus.class, e -> e.status().equals("warning"));
                server.liveSession("key-1").close(1000, "close" + FORGED);
                f.status.next(
                        ConnectionStateChanged.class,
                        e -> e.connectionId().equals("c1") && e.cause().contains("close"));
                server.liveSession("key-2").sendStatus("auth_failed", "auth" + FORGED);
                server.liveSession("key-2").abort();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(f.health("c2").state())
                                                .isEqualTo(ConnectionState.FAILED));
                events = f.status.all();
            }
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs.lines().filter(l -> l.contains("forged line")))
                .as("log lines with the server's text")
                .hasSizeGreaterThanOrEqualTo(3)
                .allMatch(l -> l.contains("\\nERROR io.tickmux.core.Manager - forged line"));
        assertThat(logs.lines())
                .as("no line begins with the forged text")
                .noneMatch(l -> l.startsWith("ERROR io.tickmux.core.Manager - forged"));
        assertThat(events)
                .filteredOn(e -> e.toString().contains("forged"))
                .isNotEmpty()
                .allMatch(e -> !e.toString().contains(FORGED));
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
