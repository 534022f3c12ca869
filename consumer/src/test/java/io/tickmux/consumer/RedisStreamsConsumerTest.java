package io.tickmux.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.sink.redis.RedisSink;
import io.tickmux.sink.redis.RedisSinkSettings;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.testkit.bus.RedisServers;
import io.tickmux.transport.mock.MockEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis sink writes, a {@link RedisStreamsConsumer} reads, on the real Redis (see {@link
 * RedisServers}); each test under its own key prefix.
 */
class RedisStreamsConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long T0 = 1_767_366_000_000L;
    private static final String[] TICKERS = {"AAPL", "NVDA", "BRK.A"};

    private String url;
    private String prefix;
    private RedisClient client;
    private RedisCommands<String, String> redis;
    private RedisSink sink;

    @BeforeEach
    void setUp() throws Exception {
        url = RedisServers.shared();
        prefix = "tmxc" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        client = RedisClient.create();
        StatefulRedisConnection<String, String> c =
                client.connect(io.lettuce.core.RedisURI.create(url));
        redis = c.sync();
        sink =
                new RedisSink(
                        RedisSinkSettings.from(
                                ConfigFactory.parseString(
                                                "url = \""
                                                        + url
                                                        + "\", streams.key-prefix = "
                                                        + prefix)
                                        .withFallback(
                                                ConfigFactory.defaultReference()
                                                        .getConfig(RedisSinkSettings.PATH))),
                        SinkContext.of(
                                new SimpleMeterRegistry(),
                                Clock.systemUTC(),
                                RedisSinkSettings.PATH,
                                g -> {}));
        sink.start();
    }

    @AfterEach
    void tearDown() {
        sink.close();
        List<String> keys = redis.keys(prefix + ":*");
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(new String[0]));
        }
        client.shutdown();
    }

    /** Publishes rounds from..to (one trade per ticker each) and waits until Redis has them. */
    private List<MarketEvent> publish(int from, int to) {
        List<MarketEvent> sent = new ArrayList<>();
        long before = sink.health().published();
        for (int r = from; r <= to; r++) {
            List<MarketEvent> round = new ArrayList<>();
            for (String t : TICKERS) {
                round.add(MockEvents.trade(t, r, T0 + r));
            }
            sent.addAll(round);
            sink.onEvents("connection_1", round);
        }
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(sink.health().published())
                                        .isEqualTo(before + sent.size()));
        return sent;
    }

    private static final class Recorder {
        final List<MarketEvent> events = new CopyOnWriteArrayList<>();
        final List<StatusEvent> status = new CopyOnWriteArrayList<>();

        RedisStreamsConsumer consumer(RedisStreamSource source) {
            return RedisStreamsConsumer.builder(source)
                    .tickListener(events::add)
                    .statusListener(status::add)
                    .build();
        }

        /** Sequences per ticker, in delivery order. */
        Map<String, List<Long>> sequences() {
            Map<String, List<Long>> out = new TreeMap<>();
            for (MarketEvent e : events) {
                out.computeIfAbsent(e.symbol(), k -> new ArrayList<>()).add(((Trade) e).sequence());
            }
            return out;
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void everyEntryArrivesOnceInPerTickerOrderAndGapsInPlace() {
        publish(1, 300);
        Instant at = Instant.ofEpochMilli(T0 + 300);
        StatusEvent.Gap gap = new StatusEvent.Gap("NVDA", "connection_1", at, at, "test gap", at);
        sink.onStatus(gap);
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(901));
        publish(301, 400);
        Recorder all = new Recorder();
        Recorder aapl = new Recorder();
        try (RedisStreamsConsumer c =
                        all.consumer(
                                RedisStreamSource.of(url, "everything")
                                        .at(prefix)
                                        .rescan(Duration.ofMillis(100)));
                RedisStreamsConsumer one =
                        aapl.consumer(
                                RedisStreamSource.of(url, "aapl-only")
                                        .at(prefix)
                                        .tickers(List.of("AAPL")))) {
            c.start();
            one.start();
            assertThat(c.streams())
                    .containsExactlyInAnyOrder(
                            prefix + ":ticker:AAPL",
                            prefix + ":ticker:NVDA",
                            prefix + ":ticker:BRK_A",
                            prefix + ":status");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(all.events).hasSize(1_200);
                                assertThat(aapl.events).hasSize(400);
                            });
            for (String t : TICKERS) {
                assertThat(all.sequences().get(t))
                        .as("%s once, in order", t)
                        .isEqualTo(range(1, 400));
            }
            assertThat(all.status).containsExactly(gap);
            assertThat(aapl.status).isEmpty();
            assertThat(aapl.sequences()).containsOnlyKeys("AAPL");
            // A ticker that appears later is found by the next scan.
            sink.onEvents("connection_1", List.of(MockEvents.trade("TSLA", 1, T0)));
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(all.sequences()).containsKey("TSLA"));
            assertThat(c.errors()).isZero();
        }
    }

    @Test
    void aRestartedConsumerResumesWithNothingLostAndNothingTwice() {
        publish(1, 100);
        Recorder first = new Recorder();
        try (RedisStreamsConsumer c =
                first.consumer(RedisStreamSource.of(url, "recorder").at(prefix))) {
            c.start();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(first.events).hasSize(300));
        }
        publish(101, 200);
        // A process killed mid-stream: the group delivered it entries it never acknowledged.
        List<StreamMessage<String, String>> taken =
                redis.xreadgroup(
                        Consumer.from("recorder", "recorder"),
                        XReadArgs.Builder.count(10),
                        XReadArgs.StreamOffset.lastConsumed(prefix + ":ticker:AAPL"));
        assertThat(taken).hasSize(10);
        publish(201, 250);
        Recorder second = new Recorder();
        try (RedisStreamsConsumer c =
                second.consumer(RedisStreamSource.of(url, "recorder").at(prefix))) {
            c.start();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(second.events).hasSize(450));
            for (String t : TICKERS) {
                assertThat(second.sequences().get(t))
                        .as("%s after the restart", t)
                        .isEqualTo(range(101, 250));
            }
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    redis.xpending(
                                                                    prefix + ":ticker:AAPL",
                                                                    "recorder")
                                                            .getCount())
                                            .as("everything acknowledged")
                                            .isZero());
        }
        for (String t : TICKERS) {
            assertThat(first.sequences().get(t)).isEqualTo(range(1, 100));
        }
    }

    @Test
    void anUnreachableRedisIsAClearError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisStreamsConsumer c =
                RedisStreamsConsumer.builder(RedisStreamSource.of("redis://127.0.0.1:" + port, "g"))
                        .build();
        assertThatThrownBy(c::start)
                .hasMessageContaining("consumer: cannot reach Redis at 127.0.0.1:" + port);
        c.close();
    }
}
