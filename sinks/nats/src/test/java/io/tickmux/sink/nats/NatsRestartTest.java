package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.PrivateNatsServer;
import io.tickmux.testkit.bus.StreamReader;
import io.tickmux.transport.mock.MockEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NATS goes away while the gateway publishes, on a private nats-server of the test's own (the
 * shared one is untouched): nothing within the sink's buffer is lost or duplicated, per-ticker
 * order holds, and what did not fit is reported as gaps for exactly the tickers and times it
 * covered.
 *
 * <p>Run under load by {@code scripts/stress-test}: they found the NATS client's writer stalling
 * after a reconnect on a starved machine (the sink now forces a reconnect then) and the resend
 * storm that made it worse (the sink now sends one message alone before the rest).
 */
class NatsRestartTest {

    private static final long T0 = 1_767_366_000_000L;
    private static final String[] TICKERS = {"AAPL", "NVDA", "BRK.A", "MSFT", "TSLA"};

    private PrivateNatsServer server;
    private NatsFixture f;

    @BeforeEach
    void start() throws Exception {
        server = PrivateNatsServer.start();
        f = new NatsFixture(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Round r: one trade per ticker, sequence r, time T0 + r. */
    private static List<MarketEvent> round(int r) {
        List<MarketEvent> out = new ArrayList<>();
        for (String t : TICKERS) {
            out.add(MockEvents.trade(t, r, T0 + r));
        }
        return out;
    }

    private List<Message> stored(Connection c, int atLeast) {
        List<Message> out = new ArrayList<>();
        await().atMost(NatsFixture.TIMEOUT)
                .untilAsserted(
                        () -> {
                            out.clear();
                            out.addAll(StreamReader.readAll(c, f.stream, f.prefix + ".>"));
                            assertThat(out).hasSizeGreaterThanOrEqualTo(atLeast);
                        });
        return out;
    }

    @Test
    void aNatsCrashWhilePublishingLosesAndDuplicatesNothingWithinTheBuffer() throws Exception {
        int rounds = 4_000; // 20,000 events
        try (NatsSink sink =
                f.sink("stream.storage = file, ack-timeout = 2s, reconnect-wait = 50ms")) {
            sink.start();
            int r = 1;
            for (; r <= rounds / 2; r++) {
                sink.onEvents("connection_1", round(r));
            }
            // The crash comes while messages are in flight: some acknowledged, some not.
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isPositive());
            server.kill();
            for (; r <= rounds; r++) {
                sink.onEvents("connection_1", round(r));
            }
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(sink.health().state())
                                            .isEqualTo(SinkHealth.State.DEGRADED));
            server.startAgain();
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SinkHealth h = sink.health();
                                assertThat(h.published()).isGreaterThanOrEqualTo(rounds * 5L);
                                assertThat(h.inFlight()).isZero();
                                assertThat(h.bufferDepth()).isZero();
                            });
            try (Connection c = NatsServers.connect(server.url())) {
                List<Object> decoded = NatsFixture.decode(stored(c, rounds * 5));
                List<MarketEvent> events = NatsFixture.events(decoded);
                assertThat(events).as("every event once").hasSize(rounds * 5);
                assertThat(new HashSet<>(events)).hasSize(rounds * 5);
                Map<String, Long> last = new HashMap<>();
                for (MarketEvent e : events) {
                    long seq = ((Trade) e).sequence();
                    Long prev = last.put(e.symbol(), seq);
                    assertThat(prev == null ? 0 : prev)
                            .as("per-ticker order of %s", e.symbol())
                            .isEqualTo(seq - 1);
                }
                assertThat(decoded).noneMatch(o -> o instanceof StatusEvent.Gap);
            }
            assertThat(sink.health().dropped()).isZero();
            assertThat(f.reportedGaps).isEmpty();
        }
    }

    @Test
    void whatDoesNotFitTheBufferWhileNatsIsAwayIsReportedAsGaps() throws Exception {
        int capacity = 64;
        int rounds = 100; // 500 events, far beyond the buffer
        try (NatsSink sink =
                f.sink(
                        // A JetStream restarted on a loaded machine can take a while to
                        // acknowledge again: retry patiently, so the gaps are what is tested.
                        "stream.storage = file, reconnect-wait = 50ms, max-retries = 30,"
                                + " buffer.capacity = "
                                + capacity)) {
            sink.start();
            server.stop();
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(sink.health().state())
                                            .isEqualTo(SinkHealth.State.DEGRADED));
            List<MarketEvent> sent = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                sent.addAll(round(r));
                sink.onEvents("connection_1", round(r));
            }
            assertThat(sink.health().dropped()).isEqualTo(rounds * 5L - capacity);
            server.startAgain();
            try (Connection c = NatsServers.connect(server.url())) {
                await().atMost(Duration.ofSeconds(120))
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        NatsFixture.decode(
                                                                        StreamReader.readAll(
                                                                                c,
                                                                                f.stream,
                                                                                f.prefix
                                                                                        + ".gap.>"))
                                                                .size())
                                                .isEqualTo(TICKERS.length));
                List<Object> decoded = NatsFixture.decode(stored(c, capacity));
                List<MarketEvent> got = NatsFixture.events(decoded);
                List<StatusEvent.Gap> gaps = new ArrayList<>();
                for (Object o : decoded) {
                    if (o instanceof StatusEvent.Gap g) {
                        gaps.add(g);
                    }
                }
                assertThat(got).hasSize(capacity).doesNotHaveDuplicates();
                Set<MarketEvent> gotSet = new HashSet<>(got);
                for (MarketEvent e : sent) {
                    if (gotSet.contains(e)) {
                        continue;
                    }
                    Instant t = Instant.ofEpochMilli(e.timestampMillis());
                    assertThat(gaps)
                            .as("a gap covers lost %s", e)
                            .anyMatch(
                                    g ->
                                            g.symbol().equals(e.symbol())
                                                    && !t.isBefore(g.from())
                                                    && !t.isAfter(g.to()));
                }
                assertThat(gaps)
                        .allSatisfy(
                                g ->
                                        assertThat(g.cause())
                                                .startsWith("sink nats: ")
                                                .contains("dropped (buffer full, drop-newest)"));
                assertThat(f.reportedGaps).containsExactlyInAnyOrderElementsOf(gaps);
            }
        }
    }
}
