package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.app.Sinks;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.testkit.bus.RedisServers;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import io.tickmux.wire.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real Redis server (see {@link RedisServers}). */
class RedisSinkTest {

    /** 2026-01-02T15:00:00Z: a Friday, 10:00 in New York (the regular session). */
    private static final long T0 = 1_767_366_000_000L;

    private RedisFixture f;

    @BeforeEach
    void setUp() {
        f = new RedisFixture(RedisServers.shared());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<StreamMessage<String, String>> stored(String key, int atLeast) {
        List<StreamMessage<String, String>> out = new ArrayList<>();
        await().atMost(RedisFixture.TIMEOUT)
                .untilAsserted(
                        () -> {
                            out.clear();
                            out.addAll(f.stream(key));
                            assertThat(out)
                                    .as("entries of %s", key)
                                    .hasSizeGreaterThanOrEqualTo(atLeast);
                        });
        return out;
    }

    /** Messages on pub/sub channels, in arrival order, as "channel payload". */
    private static final class Subscriber implements AutoCloseable {
        final RedisClient client = RedisClient.create();
        final StatefulRedisPubSubConnection<String, String> c;
        final List<String> got = new CopyOnWriteArrayList<>();

        Subscriber(String url, String pattern) {
            c = client.connectPubSub(RedisServers.uri(url));
            c.addListener(
                    new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String pattern, String channel, String message) {
                            got.add(channel + " " + message);
                        }
                    });
            c.sync().psubscribe(pattern);
        }

        List<String> on(String channel) {
            List<String> out = new ArrayList<>();
            for (String s : got) {
                if (s.startsWith(channel + " ")) {
                    out.add(s.substring(channel.length() + 1));
                }
            }
            return out;
        }

        @Override
        public void close() {
            c.close();
            client.shutdown();
        }
    }

    @Test
    void eachEventIsAnEntryOfItsTickersStreamWithItsIdAndWireJson() throws Exception {
        try (RedisSink sink = f.sink("")) {
            sink.start();
            MarketEvent trade = MockEvents.trade("AAPL", 1, T0);
            MarketEvent quote = MockEvents.quote("BRK.A", 7, T0 + 1);
            MarketEvent bar = MockEvents.minuteBar("AAPL", T0 + 60_000);
            sink.onEvents("connection_1", List.of(trade, quote));
            sink.onEvents("connection_2", List.of(bar));

            List<StreamMessage<String, String>> aapl = stored(f.prefix + ":ticker:AAPL", 2);
            List<StreamMessage<String, String>> brk = stored(f.prefix + ":ticker:BRK_A", 1);
            assertThat(RedisFixture.decode(aapl)).containsExactly(trade, bar);
            assertThat(RedisFixture.decode(brk)).containsExactly(quote);
            assertThat(aapl.get(0).getBody())
                    .containsEntry("Tickmux-Wire", "1")
                    .containsEntry("id", WireFormat.messageId(trade))
                    .containsKey("data");
            assertThat(brk.get(0).getBody()).containsEntry("id", "Q.BRK.A.7");
            assertThat(f.redis().keys(f.prefix + ":*"))
                    .containsExactlyInAnyOrder(
                            f.prefix + ":ticker:AAPL", f.prefix + ":ticker:BRK_A");
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SinkHealth h = sink.health();
                                assertThat(h.state()).isEqualTo(SinkHealth.State.UP);
                                assertThat(h.published()).isEqualTo(3);
                                assertThat(h.dropped()).isZero();
                                assertThat(h.inFlight()).isZero();
                                assertThat(
                                                f.registry
                                                        .get("tickmux.sink.published")
                                                        .tag("sink", "redis")
                                                        .counter()
                                                        .count())
                                        .isEqualTo(3.0);
                                assertThat(
                                                f.registry
                                                        .get("tickmux.sink.publish.latency")
                                                        .tag("sink", "redis")
                                                        .timer()
                                                        .count())
                                        .isEqualTo(3);
                            });
        }
    }

    @Test
    void perChannelStreamsHoldEachChannelInOrder() throws Exception {
        try (RedisSink sink = f.sink("streams.per = channel")) {
            sink.start();
            MarketEvent t1 = MockEvents.trade("AAPL", 1, T0);
            MarketEvent q1 = MockEvents.quote("NVDA", 1, T0);
            MarketEvent t2 = MockEvents.trade("NVDA", 2, T0 + 1);
            MarketEvent bar = MockEvents.minuteBar("MSFT", T0 + 60_000);
            sink.onEvents("c1", List.of(t1, q1, t2, bar));
            assertThat(RedisFixture.decode(stored(f.prefix + ":channel:T", 2)))
                    .containsExactly(t1, t2);
            assertThat(RedisFixture.decode(stored(f.prefix + ":channel:Q", 1))).containsExactly(q1);
            assertThat(RedisFixture.decode(stored(f.prefix + ":channel:AM", 1)))
                    .containsExactly(bar);
        }
    }

    @Test
    void gapsGoToTheTickersStreamAndOtherStatusToTheStatusStream() throws Exception {
        Instant at = Instant.parse("2026-01-02T15:00:00Z");
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        "BRK.A", "connection_2", at, at.plusSeconds(2), "reconnect (1006)", at);
        StatusEvent.ConnectionStateChanged state =
                new StatusEvent.ConnectionStateChanged(
                        "connection_2",
                        ConnectionState.CONNECTED,
                        ConnectionState.RECONNECTING,
                        "abort (1006)",
                        at);
        MarketEvent quote = MockEvents.quote("BRK.A", 1, T0);
        try (RedisSink sink = f.sink("")) {
            sink.start();
            sink.onEvents("connection_2", List.of(quote));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(1));
            sink.onStatus(state);
            sink.onStatus(gap);
            assertThat(RedisFixture.decode(stored(f.prefix + ":ticker:BRK_A", 2)))
                    .containsExactly(quote, gap);
            List<StreamMessage<String, String>> status = stored(f.prefix + ":status", 1);
            assertThat(RedisFixture.decode(status)).containsExactly(state);
            assertThat(status.get(0).getBody()).containsEntry("id", WireFormat.messageId(state));
        }
        try (RedisSink sink = f.sink("streams.per = channel, streams.publish-status = false")) {
            sink.start();
            StatusEvent.Gap g2 = new StatusEvent.Gap("AAPL", "c1", at, at, "x", at);
            sink.onStatus(new StatusEvent.ServerStatus("c1", "max_connections", "", at));
            sink.onStatus(g2);
            assertThat(RedisFixture.decode(stored(f.prefix + ":status", 2)))
                    .containsExactly(state, g2);
        }
    }

    @Test
    void compatibilityModePublishesTheOriginalChannelsAndPayloads() throws Exception {
        try (Subscriber sub = new Subscriber(f.url, f.id + ".*");
                RedisSink sink = f.sink("streams.enabled = false, " + f.compatChannels())) {
            sink.start();
            MarketEvent trade = MockEvents.trade("AAPL", 25, T0 + 123);
            Quote quote = MockEvents.quote("BRK.A", 1, T0 + 4 * 3_600_000L); // 14:00 EST
            MarketEvent bar = MockEvents.minuteBar("MSFT", T0 - 2 * 3_600_000L); // 08:00 EST
            MarketEvent late = MockEvents.trade("AAPL", 26, T0 + 7 * 3_600_000L); // 17:00 EST
            MarketEvent saturday = MockEvents.trade("AAPL", 27, T0 + 24 * 3_600_000L);
            sink.onEvents("c1", List.of(trade, quote, bar, late, saturday));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(sub.got).hasSize(5 * 4);
                                assertThat(sink.health().published()).isEqualTo(5);
                            });
            String aapl =
                    "{\"event_type\":\"tick_data\",\"ticker\":\"AAPL\",\"price\":100.25,"
                            + "\"volume\":100,\"timestamp\":1767366000.123,\"source\":\"massive\","
                            + "\"market_status\":\"regular\"}";
            double mid = (quote.bidPrice() + quote.askPrice()) / 2;
            String brk =
                    "{\"event_type\":\"tick_data\",\"ticker\":\"BRK.A\",\"price\":"
                            + mid
                            + ",\"volume\":0,\"timestamp\":1767380400.000,\"source\":\"massive\","
                            + "\"market_status\":\"regular\"}";
            String msft =
                    "{\"event_type\":\"tick_data\",\"ticker\":\"MSFT\",\"price\":100.2,"
                            + "\"volume\":1000,\"timestamp\":1767358800.000,"
                            + "\"source\":\"massive\",\"market_status\":\"pre-market\"}";
            assertThat(sub.on(f.id + ".tickstock.ticks.AAPL")).hasSize(3).first().isEqualTo(aapl);
            assertThat(sub.on(f.id + ".tickstock.ticks.AAPL").get(1))
                    .contains("\"market_status\":\"after-hours\"");
            assertThat(sub.on(f.id + ".tickstock.ticks.AAPL").get(2))
                    .contains("\"market_status\":\"closed\"");
            assertThat(sub.on(f.id + ".tickstock.ticks.BRK.A")).containsExactly(brk);
            assertThat(sub.on(f.id + ".tickstock.ticks.MSFT")).containsExactly(msft);
            assertThat(sub.on(f.id + ".tickstock.all_ticks").subList(0, 3))
                    .containsExactly(aapl, brk, msft);
            assertThat(sub.on(f.id + ".tickstock.data.raw").subList(0, 3))
                    .containsExactly(
                            "{\"ticker\":\"AAPL\",\"price\":100.25,\"volume\":100,"
                                    + "\"timestamp\":1767366000.123,\"event_type\":\"T\","
                                    + "\"source\":\"massive\",\"tick_open\":null,"
                                    + "\"tick_high\":null,\"tick_low\":null,\"tick_close\":null,"
                                    + "\"tick_volume\":null,\"tick_vwap\":null,\"bid\":null,"
                                    + "\"ask\":null}",
                            "{\"ticker\":\"BRK.A\",\"price\":"
                                    + mid
                                    + ",\"volume\":0,\"timestamp\":1767380400.000,"
                                    + "\"event_type\":\"Q\",\"source\":\"massive\","
                                    + "\"tick_open\":null,\"tick_high\":null,\"tick_low\":null,"
                                    + "\"tick_close\":null,\"tick_volume\":null,"
                                    + "\"tick_vwap\":null,\"bid\":"
                                    + quote.bidPrice()
                                    + ",\"ask\":"
                                    + quote.askPrice()
                                    + "}",
                            "{\"ticker\":\"MSFT\",\"price\":100.2,\"volume\":1000,"
                                    + "\"timestamp\":1767358800.000,\"event_type\":\"AM\","
                                    + "\"source\":\"massive\",\"tick_open\":100.0,"
                                    + "\"tick_high\":100.5,\"tick_low\":99.5,\"tick_close\":100.2,"
                                    + "\"tick_volume\":1000,\"tick_vwap\":100.0,\"bid\":null,"
                                    + "\"ask\":null}");
            assertThat(sub.on(f.id + ".tickstock:market:ticks").get(0))
                    .isEqualTo(
                            "{\"type\":\"market_tick\",\"symbol\":\"AAPL\",\"price\":100.25,"
                                    + "\"volume\":100,\"timestamp\":1767366000.123,"
                                    + "\"source\":\"massive\"}");
            assertThat(f.redis().keys(f.prefix + ":*")).as("no stream written").isEmpty();
        }
    }

    @Test
    void compatibilityChannelsAndWordsAreSettings() throws Exception {
        try (Subscriber sub = new Subscriber(f.url, f.id + ".*");
                RedisSink sink =
                        f.sink(
                                "streams.enabled = false, "
                                        + f.compatChannels()
                                        + ", compat.all-channel = \"\", compat.raw-channel ="
                                        + " \"\", compat.market-channel = \"\","
                                        + " compat.event-kinds = [T], compat.source = polygon,"
                                        + " compat.market-status.regular = REGULAR")) {
            sink.start();
            sink.onEvents(
                    "c1",
                    List.of(MockEvents.quote("AAPL", 1, T0), MockEvents.trade("AAPL", 1, T0)));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(1));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sub.got).hasSize(1));
            assertThat(sub.got.get(0))
                    .startsWith(f.id + ".tickstock.ticks.AAPL ")
                    .contains("\"source\":\"polygon\"")
                    .contains("\"market_status\":\"REGULAR\"");
        }
    }

    @Test
    void everyEventTheManagerAcceptsReachesTheStreamsAndTheChannelsInOrder() throws Exception {
        MockTransport mock = new MockTransport();
        RedisSink sink = f.sink(f.compatChannels());
        Sinks sinks = Sinks.of(List.of(sink));
        try (Subscriber sub = new Subscriber(f.url, f.id + ".*");
                MultiConnectionManager m =
                        sinks.attach(
                                        MultiConnectionManager.builder()
                                                .transport(mock)
                                                .meterRegistry(new SimpleMeterRegistry())
                                                .connection(ConnectionDefinition.of("c1")))
                                .build()) {
            sinks.start(m);
            m.connectAll(Map.of("c1", List.of("AAPL", "NVDA")), RedisFixture.TIMEOUT);
            List<MarketEvent> aapl = new ArrayList<>();
            List<MarketEvent> nvda = new ArrayList<>();
            List<MarketEvent> sent = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                MarketEvent e = MockEvents.trade(i % 2 == 0 ? "AAPL" : "NVDA", i, T0 + i);
                sent.add(e);
                (i % 2 == 0 ? aapl : nvda).add(e);
            }
            mock.connection("c1").emit(sent.toArray(new MarketEvent[0]));
            assertThat(RedisFixture.decode(stored(f.prefix + ":ticker:AAPL", 100)))
                    .containsExactlyElementsOf(aapl);
            assertThat(RedisFixture.decode(stored(f.prefix + ":ticker:NVDA", 100)))
                    .containsExactlyElementsOf(nvda);
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sub.got).hasSize(200 * 4));
            List<String> all = sub.on(f.id + ".tickstock.all_ticks");
            assertThat(all).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(all.get(i))
                        .contains("\"ticker\":\"" + sent.get(i).symbol() + "\"")
                        .contains("\"timestamp\":" + java.math.BigDecimal.valueOf(T0 + i + 1, 3));
            }
            assertThat(sub.on(f.id + ".tickstock.ticks.AAPL")).hasSize(100);
            assertThat(sub.on(f.id + ".tickstock.data.raw")).hasSize(200);
            assertThat(sub.on(f.id + ".tickstock:market:ticks")).hasSize(200);
            sinks.close();
            assertThat(sink.health().state()).isEqualTo(SinkHealth.State.DOWN);
            int status = f.stream(f.prefix + ":status").size();
            assertThat(status).as("the connection's state changes").isPositive();
            assertThat(sink.health().published()).isEqualTo(200 + status);
        }
    }

    @Test
    void streamsAreTrimmedByLength() throws Exception {
        try (RedisSink sink =
                f.sink(
                        "streams.trim = length, streams.max-length = 10, streams.approximate = false")) {
            sink.start();
            List<MarketEvent> sent = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                sent.add(MockEvents.trade("AAPL", i, T0 + i));
            }
            sink.onEvents("c1", sent);
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(50));
            assertThat(RedisFixture.decode(f.stream(f.prefix + ":ticker:AAPL")))
                    .containsExactlyElementsOf(sent.subList(40, 50));
        }
        try (RedisSink sink = f.sink("streams.trim = length, streams.max-length = 10")) {
            sink.start();
            List<MarketEvent> sent = new ArrayList<>();
            for (int i = 1; i <= 2_000; i++) {
                sent.add(MockEvents.trade("NVDA", i, T0 + i));
            }
            sink.onEvents("c1", sent);
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(2_000));
            // Approximate: whole macro nodes (100 entries by default) are removed, never the
            // newest.
            long len = f.redis().xlen(f.prefix + ":ticker:NVDA");
            assertThat(len).isBetween(10L, 1_000L);
            List<MarketEvent> kept =
                    RedisFixture.events(RedisFixture.decode(f.stream(f.prefix + ":ticker:NVDA")));
            assertThat(kept).containsExactlyElementsOf(sent.subList(2_000 - (int) len, 2_000));
        }
    }

    @Test
    void streamsAreTrimmedByAge() throws Exception {
        String key = f.prefix + ":ticker:AAPL";
        // Entries written two and a half hours ago (their ids are their server time, in ms).
        long old = System.currentTimeMillis() - Duration.ofMinutes(150).toMillis();
        for (int i = 0; i < 5; i++) {
            f.redis().xadd(key, new io.lettuce.core.XAddArgs().id(old + "-" + i), "id", "old" + i);
        }
        MarketEvent fresh = MockEvents.trade("AAPL", 21, T0 + 21);
        try (RedisSink sink =
                f.sink("streams.trim = age, streams.max-age = 3h, streams.approximate = false")) {
            sink.start();
            sink.onEvents("c1", List.of(fresh));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(1));
        }
        assertThat(f.redis().xlen(key)).as("younger than 3h: kept").isEqualTo(6);
        MarketEvent fresher = MockEvents.trade("AAPL", 22, T0 + 22);
        try (RedisSink sink =
                f.sink("streams.trim = age, streams.max-age = 2h, streams.approximate = false")) {
            sink.start();
            sink.onEvents("c1", List.of(fresher));
            await().atMost(RedisFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(1));
        }
        assertThat(RedisFixture.decode(f.stream(key))).containsExactly(fresh, fresher);
    }

    @Test
    void startFailsClearlyWhenRedisIsNotThereAndNeverShowsThePassword() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisFixture away = new RedisFixture("redis://:s3cret-pass@127.0.0.1:" + port);
        try (RedisSink sink = away.sink("connect-timeout = 1s")) {
            assertThatThrownBy(sink::start)
                    .hasMessageContaining(
                            "sink redis: cannot reach Redis at redis://127.0.0.1:" + port)
                    .hasMessageContaining("tickmux.sink.redis.url")
                    .hasMessageNotContaining("s3cret-pass");
            assertThat(sink.settings().toString()).doesNotContain("s3cret-pass");
            assertThat(sink.health().state()).isEqualTo(SinkHealth.State.DOWN);
            assertThat(sink.health().detail()).isEqualTo("not started");
        }
    }

    @Test
    void theFactoryIsFoundByNameAndItsSettingsAreChecked() {
        Sinks sinks =
                Sinks.load(
                        ConfigFactory.parseString("tickmux.sinks = [redis]")
                                .withFallback(ConfigFactory.load()),
                        new SimpleMeterRegistry());
        assertThat(sinks.sinks()).singleElement().isInstanceOf(RedisSink.class);
        RedisSinkSettings s = ((RedisSink) sinks.sinks().get(0)).settings();
        assertThat(s.keyPrefix()).isEqualTo("tickmux");
        assertThat(s.per()).isEqualTo(RedisSinkSettings.Per.TICKER);
        assertThat(s.compat()).isFalse();
        assertThat(s.tickerChannel()).isEqualTo("tickstock.ticks.{ticker}");
        sinks.close();
        assertThatThrownBy(
                        () ->
                                Sinks.load(
                                        ConfigFactory.parseString(
                                                        "tickmux.sinks = [redis],"
                                                                + " tickmux.sink.redis.max-in-flite = 3,"
                                                                + " tickmux.sink.redis.streams.enabled = false,"
                                                                + " tickmux.sink.redis.compat.event-kinds = [T, LULD],"
                                                                + " tickmux.sink.redis.compat.ticker-channel = x")
                                                .withFallback(ConfigFactory.load()),
                                        new SimpleMeterRegistry()))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("did you mean tickmux.sink.redis.max-in-flight?")
                .hasMessageContaining("the sink would publish nothing")
                .hasMessageContaining("'LULD' is not one of T, Q, A, AM")
                .hasMessageContaining("must contain {ticker}");
        assertThat(Instant.ofEpochMilli(T0).atZone(ZoneOffset.UTC).getHour()).isEqualTo(15);
    }
}
