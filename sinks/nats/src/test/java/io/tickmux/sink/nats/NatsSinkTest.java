package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.tickmux.app.Sinks;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.StreamReader;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import io.tickmux.wire.WireFormat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real NATS server with JetStream (see {@link NatsServers}). */
class NatsSinkTest {

    private static final long T0 = 1_767_366_000_000L;

    private NatsFixture f;
    private Connection reader;

    @BeforeEach
    void setUp() throws Exception {
        f = new NatsFixture(NatsServers.shared());
        reader = NatsServers.connect(f.url);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            reader.jetStreamManagement().deleteStream(f.stream);
        } catch (Exception e) {
            // a test that never made the stream
        }
        reader.close();
    }

    private List<Message> stored(int atLeast) {
        List<Message> out = new ArrayList<>();
        await().atMost(NatsFixture.TIMEOUT)
                .untilAsserted(
                        () -> {
                            out.clear();
                            out.addAll(StreamReader.readAll(reader, f.stream, f.prefix + ".>"));
                            assertThat(out)
                                    .as("messages on the stream")
                                    .hasSizeGreaterThanOrEqualTo(atLeast);
                        });
        return out;
    }

    @Test
    void createsTheStreamAndPublishesEachEventOnItsSubjectWithItsIdentity() throws Exception {
        try (NatsSink sink = f.sink("")) {
            sink.start();
            MarketEvent trade = MockEvents.trade("AAPL", 1, T0);
            MarketEvent quote = MockEvents.quote("BRK.A", 7, T0 + 1);
            MarketEvent bar = MockEvents.minuteBar("MSFT", T0 + 60_000);
            sink.onEvents("connection_1", List.of(trade, quote));
            sink.onEvents("connection_2", List.of(bar));

            List<Message> msgs = stored(3);
            assertThat(msgs)
                    .extracting(Message::getSubject)
                    .containsExactly(
                            f.prefix + ".stocks.T.AAPL",
                            f.prefix + ".stocks.Q.BRK_A",
                            f.prefix + ".stocks.AM.MSFT");
            assertThat(msgs.get(0).getHeaders().getFirst(WireFormat.MSG_ID_HEADER))
                    .isEqualTo(WireFormat.messageId(trade));
            assertThat(msgs.get(1).getHeaders().getFirst(WireFormat.MSG_ID_HEADER))
                    .isEqualTo("Q.BRK.A.7");
            assertThat(msgs.get(0).getHeaders().getFirst(WireFormat.VERSION_HEADER)).isEqualTo("1");
            assertThat(NatsFixture.decode(msgs)).containsExactly(trade, quote, bar);
            var info = reader.jetStreamManagement().getStreamInfo(f.stream).getConfiguration();
            assertThat(info.getSubjects()).containsExactly(f.prefix + ".>");
            assertThat(info.getDuplicateWindow()).isEqualTo(java.time.Duration.ofMinutes(2));
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                SinkHealth h = sink.health();
                                assertThat(h.state()).isEqualTo(SinkHealth.State.UP);
                                assertThat(h.published()).isEqualTo(3);
                                assertThat(h.dropped()).isZero();
                                assertThat(
                                                f.registry
                                                        .get("tickmux.sink.published")
                                                        .tag("sink", "nats")
                                                        .counter()
                                                        .count())
                                        .isEqualTo(3.0);
                                assertThat(
                                                f.registry
                                                        .get("tickmux.sink.publish.latency")
                                                        .tag("sink", "nats")
                                                        .timer()
                                                        .count())
                                        .isEqualTo(3);
                            });
        }
    }

    @Test
    void anEventPublishedTwiceIsStoredOnce() throws Exception {
        MarketEvent trade = MockEvents.trade("AAPL", 1, T0);
        try (NatsSink sink = f.sink("")) {
            sink.start();
            sink.onEvents("connection_1", List.of(trade));
            sink.onEvents("connection_2", List.of(trade)); // a second copy, as a resend would be
            sink.onEvents("connection_1", List.of(MockEvents.trade("AAPL", 2, T0 + 1)));
            List<Message> msgs = stored(2);
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(() -> assertThat(sink.health().published()).isEqualTo(3));
            assertThat(NatsFixture.events(NatsFixture.decode(msgs)))
                    .extracting(e -> ((io.tickmux.spi.event.Trade) e).sequence())
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void gapsAndStatusGoToTheirOwnSubjects() throws Exception {
        Instant at = Instant.parse("2026-01-02T15:00:00Z");
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        "BRK.A",
                        "connection_2",
                        at,
                        at.plusSeconds(2),
                        "reconnect after abort (1006)",
                        at);
        StatusEvent.ConnectionStateChanged state =
                new StatusEvent.ConnectionStateChanged(
                        "connection_2",
                        ConnectionState.CONNECTED,
                        ConnectionState.RECONNECTING,
                        "abort (1006)",
                        at);
        try (NatsSink sink = f.sink("")) {
            sink.start();
            sink.onStatus(state);
            sink.onStatus(gap);
            List<Message> msgs = stored(2);
            assertThat(msgs)
                    .extracting(Message::getSubject)
                    .containsExactly(f.prefix + ".status.state", f.prefix + ".gap.BRK_A");
            assertThat(NatsFixture.decode(msgs)).containsExactly(state, gap);
        }
    }

    @Test
    void withPublishStatusOffOnlyGapsArePublished() throws Exception {
        Instant at = Instant.parse("2026-01-02T15:00:00Z");
        StatusEvent.Gap gap = new StatusEvent.Gap("AAPL", "c1", at, at, "x", at);
        try (NatsSink sink = f.sink("publish-status = false")) {
            sink.start();
            sink.onStatus(new StatusEvent.ServerStatus("c1", "max_connections", "", at));
            sink.onStatus(gap);
            assertThat(NatsFixture.decode(stored(1))).containsExactly(gap);
        }
    }

    @Test
    void everyEventTheManagerAcceptsIsPublishedInOrder() throws Exception {
        MockTransport mock = new MockTransport();
        NatsSink sink = f.sink("");
        Sinks sinks = Sinks.of(List.of(sink));
        try (MultiConnectionManager m =
                sinks.attach(
                                MultiConnectionManager.builder()
                                        .transport(mock)
                                        .meterRegistry(new SimpleMeterRegistry())
                                        .connection(ConnectionDefinition.of("c1")))
                        .build()) {
            sinks.start(m);
            m.connectAll(Map.of("c1", List.of("AAPL", "NVDA")), NatsFixture.TIMEOUT);
            List<MarketEvent> sent = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                sent.add(MockEvents.trade(i % 2 == 0 ? "AAPL" : "NVDA", i, T0 + i));
            }
            mock.connection("c1").emit(sent.toArray(new MarketEvent[0]));
            List<Message> msgs = stored(200);
            assertThat(NatsFixture.events(NatsFixture.decode(msgs)))
                    .containsExactlyElementsOf(sent);
            sinks.close();
            assertThat(sink.health().state()).isEqualTo(SinkHealth.State.DOWN);
        }
    }

    @Test
    void checkModeRefusesAMissingStreamAndCreateModeUpdatesLimits() throws Exception {
        try (NatsSink sink = f.sink("stream.mode = check")) {
            assertThatThrownBy(sink::start)
                    .isInstanceOf(TickmuxConfigException.class)
                    .hasMessageContaining("does not exist");
        }
        try (NatsSink sink = f.sink("stream.max-age = 1h")) {
            sink.start();
        }
        try (NatsSink sink = f.sink("stream.max-age = 2h, stream.max-messages = 1000")) {
            sink.start();
        }
        var cfg = reader.jetStreamManagement().getStreamInfo(f.stream).getConfiguration();
        assertThat(cfg.getMaxAge()).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(cfg.getMaxMsgs()).isEqualTo(1000);
        try (NatsSink sink = f.sink("stream.mode = check")) {
            sink.start();
            assertThat(sink.health().state()).isEqualTo(SinkHealth.State.UP);
        }
    }

    @Test
    void aStreamThatDoesNotCaptureTheSubjectsIsRefused() throws Exception {
        reader.jetStreamManagement()
                .addStream(
                        io.nats.client.api.StreamConfiguration.builder()
                                .name(f.stream)
                                .subjects("other" + f.id + ".>")
                                .storageType(io.nats.client.api.StorageType.Memory)
                                .build());
        try (NatsSink sink = f.sink("")) {
            assertThatThrownBy(sink::start)
                    .isInstanceOf(TickmuxConfigException.class)
                    .hasMessageContaining("not " + f.prefix + ".>");
        }
    }

    @Test
    void startFailsLoudlyWhenNatsIsNotThereAndNeverShowsTheToken() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NatsFixture away = new NatsFixture("nats://127.0.0.1:" + port);
        try (NatsSink sink = away.sink("token = s3cret-token, connect-timeout = 1s")) {
            assertThatThrownBy(sink::start)
                    .hasMessageContaining("cannot reach NATS at [nats://127.0.0.1:" + port + "]")
                    .hasMessageContaining("-js")
                    .hasMessageNotContaining("s3cret-token");
            assertThat(sink.settings().toString()).doesNotContain("s3cret-token");
            assertThat(sink.health().state()).isEqualTo(SinkHealth.State.DOWN);
        }
    }

    @Test
    void theFactoryIsFoundByNameAndReadsItsReferenceDefaults() {
        Sinks sinks =
                Sinks.load(
                        ConfigFactory.parseString("tickmux.sinks = [nats]")
                                .withFallback(ConfigFactory.load()),
                        new SimpleMeterRegistry());
        assertThat(sinks.sinks()).singleElement().isInstanceOf(NatsSink.class);
        NatsSink s = (NatsSink) sinks.sinks().get(0);
        assertThat(s.settings().prefix()).isEqualTo("tickmux");
        assertThat(s.settings().stream()).isEqualTo("TICKMUX");
        sinks.close();
        assertThatThrownBy(
                        () ->
                                Sinks.load(
                                        ConfigFactory.parseString(
                                                        "tickmux.sinks = [nats],"
                                                                + " tickmux.sink.nats.max-in-flite = 3")
                                                .withFallback(ConfigFactory.load()),
                                        new SimpleMeterRegistry()))
                .hasMessageContaining("did you mean tickmux.sink.nats.max-in-flight?");
        Clock.systemUTC();
    }
}
