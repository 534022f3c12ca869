package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The manager owns its transport: made from the factory when it is built, closed after it. */
class ManagerTransportLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A transport that writes down its life and keeps the context it was made with. */
    private static final class Fake implements TransportFactory {
        final List<String> life = new CopyOnWriteArrayList<>();
        final AtomicReference<TransportContext> context = new AtomicReference<>();
        final List<String> problems;

        Fake(List<String> problems) {
            this.problems = problems;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Transport create(TransportContext c) {
            if (!problems.isEmpty()) {
                throw new TickmuxConfigException(problems);
            }
            context.set(c);
            life.add("transport created");
            return new Transport() {
                @Override
                public TransportConnection create(ConnectionSpec spec, TransportListener l) {
                    life.add(spec.id() + " created");
                    return connection(spec.id());
                }

                @Override
                public void close() {
                    life.add(
                            "transport closed"
                                    + (c.scheduler().isShutdown() ? " after the scheduler" : ""));
                }
            };
        }

        private TransportConnection connection(String id) {
            return new TransportConnection() {
                @Override
                public void connect() {}

                @Override
                public void subscribe(Collection<String> symbols) {}

                @Override
                public void unsubscribe(Collection<String> symbols) {}

                @Override
                public void abort() {}

                @Override
                public void close() {
                    life.add(id + " closed");
                }
            };
        }
    }

    @Test
    void theTransportIsMadeOnceWithTheManagersConfigurationClockSchedulerAndMeters()
            throws Exception {
        Fake fake = new Fake(List.of());
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T14:30:00Z"), ZoneOffset.UTC);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(fake)
                        .config(ConfigFactory.parseString("tickmux.transport.fake.speed = 3"))
                        .clock(clock)
                        .meterRegistry(registry)
                        .connection(ConnectionDefinition.of("c1"))
                        .connection(ConnectionDefinition.of("c2"))
                        .build()) {
            TransportContext c = fake.context.get();
            assertThat(c.config().getInt("tickmux.transport.fake.speed")).isEqualTo(3);
            assertThat(c.clock()).isSameAs(clock);
            assertThat(c.meterRegistry()).isSameAs(m.meterRegistry());
            assertThat(
                            c.scheduler()
                                    .submit(() -> Thread.currentThread().getName())
                                    .get(30, TimeUnit.SECONDS))
                    .as("the thread the transport's timers run on")
                    .startsWith("tickmux-scheduler");
            assertThat(fake.life).containsExactly("transport created", "c1 created", "c2 created");
        }
    }

    @Test
    void closingClosesTheConnectionsThenTheTransportOnceThenTheScheduler() {
        Fake fake = new Fake(List.of());
        MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(fake)
                        .connection(ConnectionDefinition.of("c1"))
                        .build();
        assertThat(m.removeConnection("c1")).isTrue();
        assertThat(m.addConnection(ConnectionDefinition.of("c2"))).isTrue();

        m.close();
        m.close();

        assertThat(fake.life)
                .containsExactly(
                        "transport created",
                        "c1 created",
                        "c1 closed",
                        "c2 created",
                        "c2 closed",
                        "transport closed");
        assertThat(fake.context.get().scheduler().isShutdown()).isTrue();
    }

    @Test
    void withoutAConfigurationTheTransportReadsTheApplicationsDefault() {
        Fake fake = new Fake(List.of());
        try (MultiConnectionManager m = MultiConnectionManager.builder().transport(fake).build()) {
            assertThat(fake.context.get().config().getInt("tickmux.core.max-connections"))
                    .isEqualTo(ConfigFactory.load().getInt("tickmux.core.max-connections"));
        }
    }

    @Test
    void refusedTransportSettingsFailTheBuildWithEveryProblemAndLeaveNoThread() {
        Set<Thread> before = tickmuxThreads();
        Fake fake =
                new Fake(
                        List.of(
                                "tickmux.transport.fake.url is empty: set it",
                                "tickmux.transport.fake.speed = -1 is negative"));

        assertThatThrownBy(
                        () ->
                                MultiConnectionManager.builder()
                                        .transport(fake)
                                        .connection(ConnectionDefinition.of("c1"))
                                        .build())
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "tickmux.transport.fake.url is empty: set it",
                                                "tickmux.transport.fake.speed = -1 is negative"));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Set<Thread> left = tickmuxThreads();
                            left.removeAll(before);
                            assertThat(left.stream().map(Thread::getName))
                                    .as("threads the failed build left running")
                                    .isEmpty();
                        });
    }

    @Test
    void aConnectionTheTransportRefusesFailsTheBuildAndLeavesNothingRunning() {
        Set<Thread> before = tickmuxThreads();
        Fake fake = new Fake(List.of());
        TransportFactory refusingC2 =
                new TransportFactory() {
                    @Override
                    public String name() {
                        return "refusing";
                    }

                    @Override
                    public Transport create(TransportContext c) {
                        Transport inner = fake.create(c);
                        return new Transport() {
                            @Override
                            public TransportConnection create(
                                    ConnectionSpec spec, TransportListener l) {
                                if (spec.id().equals("c2")) {
                                    throw new IllegalArgumentException("c2 has no API key");
                                }
                                return inner.create(spec, l);
                            }

                            @Override
                            public void close() {
                                inner.close();
                            }
                        };
                    }
                };

        assertThatThrownBy(
                        () ->
                                MultiConnectionManager.builder()
                                        .transport(refusingC2)
                                        .connection(ConnectionDefinition.of("c1"))
                                        .connection(ConnectionDefinition.of("c2"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("c2 has no API key");
        assertThat(fake.life)
                .as("c1, made before c2 was refused, and the transport are closed")
                .containsExactly(
                        "transport created", "c1 created", "c1 closed", "transport closed");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            Set<Thread> left = tickmuxThreads();
                            left.removeAll(before);
                            assertThat(left.stream().map(Thread::getName))
                                    .as("threads the failed build left running")
                                    .isEmpty();
                        });
    }

    private static Set<Thread> tickmuxThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tickmux-"))
                .collect(Collectors.toSet());
    }
}
