package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.StreamMessage;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away while the gateway publishes, on a private redis-server of the test's own
 * (append-only file, fsync always; the shared server is untouched): nothing within the sink's
 * buffer is lost or written twice, per-ticker order holds, and what did not fit is reported as gaps
 * for exactly the tickers and times it covered.
 */
class RedisRestartTest {

    private static final long T0 = 1_767_366_000_000L;
    private static final String[] TICKERS = {"AAPL", "NVDA", "BRK.A", "MSFT", "TSLA"};

    private PrivateRedisServer server;
    private RedisFixture f;

    @BeforeEach
    void start() throws Exception {
        server = PrivateRedisServer.start();
        f = new RedisFixture(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
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

    private String key(String ticker) {
        return f.prefix + ":ticker:" + WireFormat.token(ticker);
    }

    @Test
    void aRedisCrashWhilePublishingLosesAndDuplicatesNothingWithinTheBuffer() throws Exception {
        int rounds = 4_000; // 20,000 events
        try (RedisSink sink = f.sink("streams.trim = none, reconnect-wait = 50ms")) {
            sink.start();
            int r = 1;
            for (; r <= rounds / 2; r++) {
                sink.onEvents("connection_1", round(r));
            }
            // The crash comes while commands are in flight: some answered, some not.
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isPositive());
            server.kill();
            for (; r <= rounds; r++) {
                sink.onEvents("connection_1", round(r));
            }
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(sink.health().state())
                                            .isEqualTo(SinkHealth.State.DEGRADED));
            assertThat(sink.health().detail()).contains("not connected to Redis redis://127.0.0.1");
            server.startAgain();
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SinkHealth h = sink.health();
                                assertThat(h.state()).isEqualTo(SinkHealth.State.UP);
                                assertThat(h.inFlight()).isZero();
                                assertThat(h.bufferDepth()).isZero();
                            });
            for (String t : TICKERS) {
                List<StreamMessage<String, String>> entries = f.stream(key(t));
                List<Object> decoded = RedisFixture.decode(entries);
                assertThat(decoded).noneMatch(o -> o instanceof StatusEvent.Gap);
                List<MarketEvent> events = RedisFixture.events(decoded);
                assertThat(events).as("every event of %s once", t).hasSize(rounds);
                for (int i = 0; i < rounds; i++) {
                    assertThat(((Trade) events.get(i)).sequence())
                            .as("order of %s", t)
                            .isEqualTo(i + 1);
                }
            }
            assertThat(sink.health().dropped()).isZero();
            assertThat(f.reportedGaps).isEmpty();
        }
    }

    @Test
    void aRedisThatStopsAnsweringIsLeftAndEverythingIsWrittenOnceAfterwards() throws Exception {
        int rounds = 2_000; // 10,000 events
        try (RedisSink sink =
                f.sink(
                        "streams.trim = none, command-timeout = 1s, connect-timeout = 1s,"
                                + " reconnect-wait = 50ms")) {
            sink.start();
            int r = 1;
            for (; r <= 200; r++) {
                sink.onEvents("connection_1", round(r));
            }
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(1_000));
            // The server hangs: the connection stays open, the commands sent now get no answer
            // (some are read by the server, to be executed when it runs again).
            server.pause();
            for (; r <= rounds; r++) {
                sink.onEvents("connection_1", round(r));
            }
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(sink.health().state())
                                            .isEqualTo(SinkHealth.State.DEGRADED));
            assertThat(sink.health().detail()).contains("no answer from Redis");
            server.resume();
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SinkHealth h = sink.health();
                                assertThat(h.state()).isEqualTo(SinkHealth.State.UP);
                                assertThat(h.inFlight()).isZero();
                                assertThat(h.bufferDepth()).isZero();
                            });
            for (String t : TICKERS) {
                List<MarketEvent> events =
                        RedisFixture.events(RedisFixture.decode(f.stream(key(t))));
                assertThat(events).as("every event of %s once", t).hasSize(rounds);
                for (int i = 0; i < rounds; i++) {
                    assertThat(((Trade) events.get(i)).sequence())
                            .as("order of %s", t)
                            .isEqualTo(i + 1);
                }
            }
            assertThat(sink.health().dropped()).isZero();
            assertThat(f.reportedGaps).isEmpty();
        }
    }

    @Test
    void whatDoesNotFitTheBufferWhileRedisIsAwayIsReportedAsGaps() throws Exception {
        int capacity = 64;
        int rounds = 100; // 500 events, far beyond the buffer
        try (RedisSink sink = f.sink("reconnect-wait = 50ms, buffer.capacity = " + capacity)) {
            sink.start();
            server.stop();
            await().atMost(RedisFixture.TIMEOUT)
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
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                int gaps = 0;
                                for (String t : TICKERS) {
                                    for (Object o : RedisFixture.decode(f.stream(key(t)))) {
                                        gaps += o instanceof StatusEvent.Gap ? 1 : 0;
                                    }
                                }
                                assertThat(gaps).isEqualTo(TICKERS.length);
                            });
            List<MarketEvent> got = new ArrayList<>();
            List<StatusEvent.Gap> gaps = new ArrayList<>();
            for (String t : TICKERS) {
                for (Object o : RedisFixture.decode(f.stream(key(t)))) {
                    if (o instanceof StatusEvent.Gap g) {
                        assertThat(g.symbol()).isEqualTo(t);
                        gaps.add(g);
                    } else {
                        got.add((MarketEvent) o);
                    }
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
                                            .startsWith("sink redis: ")
                                            .contains("dropped (buffer full, drop-newest)"));
            assertThat(f.reportedGaps).containsExactlyInAnyOrderElementsOf(gaps);
        }
    }
}
