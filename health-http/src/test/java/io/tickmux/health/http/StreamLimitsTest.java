package io.tickmux.health.http;

import static io.tickmux.health.http.HealthServerHardeningTest.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.health.http.Raw.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard streams under a flood and with readers that stop reading: a cap, a bounded queue
 * per stream, no thread held, and the other streams and endpoints unaffected. Counts and orders are
 * asserted, never times (they are printed).
 */
class StreamLimitsTest {

    /** Ids of a stream's snapshots must follow each other: a stream that was delayed skips none. */
    private static void assertConsecutive(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("snapshot %d of %s", i, ids).isEqualTo(ids.get(i - 1) + 1);
        }
    }

    /** A stream request whose socket is never read: its receive buffer as small as allowed. */
    private static Socket neverReading(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(1024);
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        OutputStream out = s.getOutputStream();
        out.write(
                ("GET /api/websocket/stream HTTP/1.1\r\nHost: 127.0.0.1:"
                                + port
                                + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    @Test
    void aFloodOf800StreamsStopsAtTheCapWhileLivenessAndANormalStreamGoOn() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try (HealthFixture f = new HealthFixture().streaming();
                // the default cap; a long stream-buffer, so no stream is closed for being behind
                // while the test runs however slowly: this test is about the cap
                HealthServer s =
                        HealthServer.start(
                                f.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, stream-buffer = 1000 }"));
                SseReader normal = new SseReader(s.port())) {
            int port = s.port();
            int cap = 32; // the default
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(normal.ids).as("normal stream").isNotEmpty());
            for (int i = 0; i < 800; i++) {
                flood.add(neverReading(port));
            }
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SnapshotStreams.Stats st = s.streamStats();
                                assertThat(st.opened() + st.refused())
                                        .as("stream requests answered: %s", st)
                                        .isEqualTo(801);
                            });
            SnapshotStreams.Stats st = s.streamStats();
            assertThat(st.open()).as("open streams").isEqualTo(cap);
            assertThat(st.opened()).isEqualTo(cap);
            assertThat(st.refused()).isEqualTo(801 - cap);
            assertThat(st.closedBehind()).isZero();

            long t0 = System.nanoTime();
            Answer live = Raw.get(port, "/health/live");
            System.out.printf(
                    "/health/live during the flood: %d in %.1f ms%n",
                    live.status(), (System.nanoTime() - t0) / 1e6);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");

            long seen = normal.last();
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(normal.last())
                                            .as("the normal stream's snapshots after the flood")
                                            .isGreaterThanOrEqualTo(seen + 3));
            assertConsecutive(normal.ids);

            // the refused were told why (read from the last few, which were refused)
            for (Socket refused : flood.subList(flood.size() - 3, flood.size())) {
                Answer a = Raw.read(refused.getInputStream());
                assertJsonError(
                        a, 503, "dashboard streams are open, the most tickmux.http.max-streams");
                assertThat(a.header("Retry-After")).isEqualTo("5");
            }

            // closing the flood frees the slots
            for (Socket k : flood) {
                k.close();
            }
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(s.streamStats().open()).as("open").isEqualTo(1));
            try (SseReader again = new SseReader(port)) {
                await().atMost(HealthFixture.TIMEOUT)
                        .untilAsserted(() -> assertThat(again.ids).isNotEmpty());
                assertThat(again.statusLine).isEqualTo("HTTP/1.1 200 OK");
            }
        } finally {
            for (Socket k : flood) {
                k.close();
            }
        }
    }

    @Test
    void stalledReadersHoldNoThreadAndDelayNoOtherStream() throws Exception {
        int stalledCount = 10;
        List<Socket> stalled = new ArrayList<>();
        try (HealthFixture f = new HealthFixture().streaming();
                HealthServer s =
                        HealthServer.start(
                                f.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, push-interval = 50ms,"
                                                + " stream-buffer = 1000 }"),
                                4096);
                SseReader normal = new SseReader(s.port())) {
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(normal.ids).isNotEmpty());
            for (int i = 0; i < stalledCount; i++) {
                stalled.add(neverReading(s.port()));
            }
            // every stalled stream has snapshots its socket would not take
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(s.streamStats().behind())
                                            .as("streams behind: %s", s.streamStats())
                                            .isEqualTo(stalledCount));
            int busy = s.busyThreads();
            System.out.printf("%d stalled streams: %d busy server threads%n", stalledCount, busy);
            assertThat(busy)
                    .as("busy server threads with %d stalled streams", stalledCount)
                    .isLessThan(stalledCount);

            long pushed = s.streamStats().pushes();
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(normal.last())
                                            .as("the normal stream while the others are stalled")
                                            .isGreaterThanOrEqualTo(pushed + 10));
            assertConsecutive(normal.ids);
            SnapshotStreams.Stats st = s.streamStats();
            assertThat(st.behind()).as("still stalled: %s", st).isEqualTo(stalledCount);
            assertThat(st.open()).isEqualTo(stalledCount + 1);
            assertThat(st.closedBehind()).isZero();
        } finally {
            for (Socket k : stalled) {
                k.close();
            }
        }
    }

    @Test
    void aStreamTooFarBehindIsClosedAndItsSlotIsFreed() throws Exception {
        try (HealthFixture f = new HealthFixture().streaming();
                HealthServer s =
                        HealthServer.start(
                                f.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, push-interval = 50ms,"
                                                + " stream-buffer = 5, max-streams = 2 }"),
                                4096);
                SseReader normal = new SseReader(s.port())) {
            // both slots taken: a third is refused
            try (SseReader second = new SseReader(s.port())) {
                await().atMost(HealthFixture.TIMEOUT)
                        .untilAsserted(() -> assertThat(s.streamStats().open()).isEqualTo(2));
                try (SseReader third = new SseReader(s.port())) {
                    await().atMost(HealthFixture.TIMEOUT)
                            .untilAsserted(() -> assertThat(third.statusLine).isNotNull());
                    assertThat(third.statusLine).isEqualTo("HTTP/1.1 503 Service Unavailable");
                }
            }
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(s.streamStats().open()).isEqualTo(1));
            // the second slot goes to a reader that stops reading
            Socket stalled = neverReading(s.port());
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(s.streamStats().closedBehind())
                                            .as("streams closed for falling behind")
                                            .isEqualTo(1));
            long closedAt = s.streamStats().pushes();
            assertThat(s.streamStats().open()).as("the normal stream stays").isEqualTo(1);
            await().atMost(HealthFixture.TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(normal.last()).isGreaterThanOrEqualTo(closedAt + 5));
            assertConsecutive(normal.ids);
            // the freed slot takes a new stream
            try (SseReader next = new SseReader(s.port())) {
                await().atMost(HealthFixture.TIMEOUT)
                        .untilAsserted(() -> assertThat(next.ids).isNotEmpty());
            }
            assertThat(s.streamStats().closedBehind()).isEqualTo(1);
            stalled.close();
        }
    }
}
