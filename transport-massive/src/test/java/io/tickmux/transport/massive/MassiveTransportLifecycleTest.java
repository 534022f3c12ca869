package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.transport.TransportFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Massive transport's life is its host's: a factory starts nothing, the transport times on the
 * manager's scheduler, and nothing of it is left once the manager is closed.
 */
class MassiveTransportLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFactoryLoadedByServiceLoaderStartsNoThread() {
        Set<Thread> before = threads("tickmux-");

        List<TransportFactory> loaded =
                ServiceLoader.load(TransportFactory.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList();

        assertThat(loaded).anyMatch(f -> f instanceof MassiveTransportFactory);
        Set<Thread> started = threads("tickmux-");
        started.removeAll(before);
        assertThat(started.stream().map(Thread::getName)).as("threads started").isEmpty();
    }

    @Test
    void noMassiveThreadIsLeftOnceTheManagerIsClosed() throws Exception {
        Set<Thread> before = threads("tickmux-massive");
        try (FakeMassiveServer server = FakeMassiveServer.builder().build().start()) {
            Config root =
                    ConfigFactory.parseString(
                                    "tickmux.transport.massive { url = \""
                                            + server.url()
                                            + "\", api-key = k, parsing = stage }")
                            .withFallback(ConfigFactory.load())
                            .resolve();
            MultiConnectionManager m =
                    MultiConnectionManager.builder()
                            .settings(CoreSettings.from(root))
                            .transport(new MassiveTransportFactory())
                            .config(root)
                            .connection(ConnectionDefinition.of("life-1"))
                            .connection(ConnectionDefinition.of("life-2"))
                            .build();
            try {
                assertThat(
                                m.connectAll(
                                        Map.of(
                                                "life-1",
                                                List.of("AAPL"),
                                                "life-2",
                                                List.of("MSFT")),
                                        WAIT))
                        .isTrue();
                assertThat(threads("tickmux-massive").stream().map(Thread::getName))
                        .as("the sockets' read and parse threads while connected")
                        .contains(
                                "tickmux-massive-life-1",
                                "tickmux-massive-life-2",
                                "tickmux-massive-parse-life-1",
                                "tickmux-massive-parse-life-2");
            } finally {
                m.close();
            }
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> {
                                Set<Thread> left = threads("tickmux-massive");
                                left.removeAll(before);
                                assertThat(left.stream().map(Thread::getName))
                                        .as("Massive threads left after the manager closed")
                                        .isEmpty();
                            });
        }
    }

    @Test
    void everyProblemOfTheTransportsSettingsIsListedWhenTheManagerIsBuilt() {
        Set<Thread> before = threads("tickmux-");
        Config bad =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \"http://x\", channels = [T,"
                                        + " ZZ], max-topics-per-message = 0 }")
                        .withFallback(ConfigFactory.load())
                        .resolve();

        assertThatThrownBy(
                        () ->
                                MultiConnectionManager.builder()
                                        .transport(new MassiveTransportFactory())
                                        .config(bad)
                                        .connection(ConnectionDefinition.of("c1"))
                                        .build())
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .hasSize(3)
                                        .anyMatch(p -> p.contains("url = 'http://x'"))
                                        .anyMatch(p -> p.contains("'ZZ' is not a stocks channel"))
                                        .anyMatch(p -> p.contains("max-topics-per-message = 0")));
        Set<Thread> left = threads("tickmux-");
        left.removeAll(before);
        assertThat(left.stream().map(Thread::getName))
                .as("threads the failed build left running")
                .isEmpty();
    }

    private static Set<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .collect(Collectors.toSet());
    }
}
