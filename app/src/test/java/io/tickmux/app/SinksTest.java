package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkFactory;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Selecting sinks by name, attaching them to a manager, starting and closing them in order. */
class SinksTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-02T15:00:00Z"), ZoneOffset.UTC);

    /** Records what the host did to it. */
    static final class RecordingSink implements Sink {
        final String name;
        final Config settings;
        final SinkContext context;
        final List<String> calls;
        final boolean failStart;

        RecordingSink(
                String name,
                Config settings,
                SinkContext context,
                List<String> calls,
                boolean failStart) {
            this.name = name;
            this.settings = settings;
            this.context = context;
            this.calls = calls;
            this.failStart = failStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() throws Exception {
            if (failStart) {
                throw new IllegalStateException(name + " cannot reach its server");
            }
            calls.add("start " + name);
        }

        @Override
        public void onEvents(String connectionId, List<MarketEvent> events) {
            calls.add("events " + name);
        }

        @Override
        public void onStatus(StatusEvent event) {
            calls.add("status " + name);
        }

        @Override
        public SinkHealth health() {
            return new SinkHealth(name, SinkHealth.State.UP, "", 1, 0, 0, 10, 0);
        }

        @Override
        public void close() {
            calls.add("close " + name);
        }
    }

    static SinkFactory factory(String name, List<String> calls, boolean failStart) {
        return new SinkFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Sink create(Config settings, SinkContext context) {
                if (settings.hasPath("invalid")) {
                    throw new TickmuxConfigException(
                            List.of(context.settingsPath() + ".invalid is not a key"));
                }
                return new RecordingSink(name, settings, context, calls, failStart);
            }
        };
    }

    private static Sinks load(String hocon, List<SinkFactory> factories) {
        return Sinks.load(
                ConfigFactory.parseString(hocon), new SimpleMeterRegistry(), CLOCK, factories);
    }

    private static MultiConnectionManager.Builder managerBuilder() {
        TransportFactory none =
                new TransportFactory() {
                    @Override
                    public String name() {
                        return "none";
                    }

                    @Override
                    public Transport create(TransportContext context) {
                        return new Transport() {
                            @Override
                            public TransportConnection create(
                                    ConnectionSpec spec, TransportListener listener) {
                                throw new UnsupportedOperationException(
                                        "no connections in this test");
                            }

                            @Override
                            public void close() {}
                        };
                    }
                };
        return MultiConnectionManager.builder().transport(none);
    }

    @Test
    void noSinksWhenNoneIsSelected() {
        List<String> calls = new ArrayList<>();
        assertThat(load("", List.of(factory("nats", calls, false))).isEmpty()).isTrue();
        assertThat(load("tickmux.sinks = []", List.of(factory("nats", calls, false))).sinks())
                .isEmpty();
    }

    @Test
    void theSelectedSinksAreMadeInOrderWithTheirOwnSettings() {
        List<String> calls = new ArrayList<>();
        Sinks sinks =
                load(
                        "tickmux.sinks = [redis, nats]\n"
                                + "tickmux.sink.nats.url = \"nats://127.0.0.1:4222\"",
                        List.of(factory("nats", calls, false), factory("redis", calls, false)));
        assertThat(sinks.sinks()).extracting(Sink::name).containsExactly("redis", "nats");
        RecordingSink nats = (RecordingSink) sinks.sinks().get(1);
        assertThat(nats.settings.getString("url")).isEqualTo("nats://127.0.0.1:4222");
        assertThat(nats.context.settingsPath()).isEqualTo("tickmux.sink.nats");
        assertThat(nats.context.clock()).isSameAs(CLOCK);
        assertThat(nats.context.meterRegistry()).isNotNull();
        assertThat(((RecordingSink) sinks.sinks().get(0)).settings.isEmpty()).isTrue();
        assertThat(sinks.health()).extracting(SinkHealth::name).containsExactly("redis", "nats");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> calls = new ArrayList<>();
        assertThatThrownBy(
                        () ->
                                load(
                                        "tickmux.sinks = [kafka, nats, nats]",
                                        List.of(
                                                factory("nats", calls, false),
                                                factory("Bad_Name", calls, false),
                                                factory("redis", calls, false),
                                                factory("redis", calls, false))))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains("unknown sink 'kafka'")
                                                                .contains("[nats, redis]"))
                                        .anySatisfy(p -> assertThat(p).contains("'nats' twice"))
                                        .anySatisfy(p -> assertThat(p).contains("'Bad_Name'"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "two sink factories are"
                                                                                + " named 'redis'")));
        assertThatThrownBy(() -> load("tickmux.sinks = nats", List.of()))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.sinks must be a list");
        assertThatThrownBy(
                        () ->
                                load(
                                        "tickmux.sinks = [nats], tickmux.sink.nats.invalid = 1",
                                        List.of(factory("nats", calls, false))))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.sink.nats.invalid is not a key");
        assertThatThrownBy(
                        () ->
                                load(
                                        "tickmux.sinks = [nats], tickmux.sink.nats = 3",
                                        List.of(factory("nats", calls, false))))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.sink.nats must be an object");
    }

    @Test
    void attachedSinksGetEventsAndStatusAndCloseInReverseOrder() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Sinks sinks =
                load(
                        "tickmux.sinks = [a, b]",
                        List.of(factory("a", calls, false), factory("b", calls, false)));
        try (MultiConnectionManager m = sinks.attach(managerBuilder()).build()) {
            sinks.start(m);
            assertThat(calls).containsExactly("start a", "start b");
            m.addNote("a note"); // no status event; the listeners are registered all the same
            sinks.close();
            sinks.close();
            assertThat(calls).containsExactly("start a", "start b", "close b", "close a");
        }
    }

    @Test
    void aSinkThatCannotStartClosesTheOnesStartedBeforeIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Sinks sinks =
                Sinks.of(
                        List.of(
                                factory("a", calls, false).create(ConfigFactory.empty(), context()),
                                factory("b", calls, true)
                                        .create(ConfigFactory.empty(), context())));
        try (MultiConnectionManager m = sinks.attach(managerBuilder()).build()) {
            assertThatThrownBy(() -> sinks.start(m)).hasMessageContaining("b cannot reach");
            assertThat(calls).containsExactly("start a", "close a");
        }
    }

    @Test
    void gapsASinkReportsReachTheGapListenersEvenPastAThrowingOne() {
        List<String> calls = new ArrayList<>();
        Sinks sinks = load("tickmux.sinks = [nats]", List.of(factory("nats", calls, false)));
        List<StatusEvent> seen = new ArrayList<>();
        sinks.addGapListener(
                e -> {
                    throw new IllegalStateException("broken listener");
                });
        sinks.addGapListener(seen::add);
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        "AAPL",
                        "connection_1",
                        CLOCK.instant(),
                        CLOCK.instant(),
                        "sink nats: 3 events dropped (buffer full)",
                        CLOCK.instant());
        ((RecordingSink) sinks.sinks().get(0)).context.reportGap(gap);
        assertThat(seen).containsExactly(gap);
    }

    private static SinkContext context() {
        return SinkContext.of(new SimpleMeterRegistry(), CLOCK, "tickmux.sink.x", g -> {});
    }
}
