package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Guice assembles the parts; a user's module replaces any of them (issue 16). */
class TickmuxGuiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Config config(Map<String, String> env) {
        return Tickmux.load(ConfigFactory.parseString(TickmuxAssemblyTest.UNIVERSES), env);
    }

    /** An extension that fails to start the first {@code failures} times. */
    private static final class Flaky implements TickmuxExtension {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final int failures;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public AutoCloseable start(MultiConnectionManager manager, Config root) {
            if (starts.incrementAndGet() <= failures) {
                throw new IllegalStateException("port in use");
            }
            return closes::incrementAndGet;
        }
    }

    @Test
    void aUsersModuleReplacesTheTransportAndAddsAnExtension() throws Exception {
        MockTransport mine = new MockTransport();
        Flaky extension = new Flaky(0);
        Injector injector =
                TickmuxBootstrap.injector(
                        config(Map.of("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test")),
                        Catalogue.load(),
                        e -> {},
                        e -> {},
                        new AbstractModule() {
                            @Override
                            protected void configure() {
                                bind(TransportFactory.class).toInstance(mine);
                                Multibinder.newSetBinder(binder(), TickmuxExtension.class)
                                        .addBinding()
                                        .toInstance(extension);
                            }
                        });
        try (Tickmux app = injector.getInstance(Tickmux.class)) {
            assertThat(injector.getInstance(TransportFactory.class)).isSameAs(mine);
            app.start();
            assertThat(app.awaitSubscribed(WAIT)).isTrue();
            assertThat(mine.connection("connection_1").serverSubscriptions())
                    .containsExactlyInAnyOrder("SPY", "QQQ", "AAPL");
            assertThat(extension.starts).hasValue(1);
        }
        assertThat(extension.closes).hasValue(1);
    }

    @Test
    void aBadConfigurationListsEveryProblemWhenTheInjectorIsMade() {
        assertThatThrownBy(
                        () ->
                                TickmuxBootstrap.injector(
                                        config(
                                                Map.of(
                                                        "WEBSOCKET_CONNECTIONS_MAX", "0",
                                                        "WEBSOCKET_ROUTING_STRATEGY",
                                                                "round-robbin",
                                                        "SYMBOL_UNIVERSE_KEY", "x")),
                                        Catalogue.load(),
                                        e -> {},
                                        e -> {}))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining("WEBSOCKET_CONNECTIONS_MAX")
                .hasMessageContaining("unknown router 'round-robbin'");
    }

    @Test
    void aFailedStartStopsWhatItStartedAndCanBeRetried() throws Exception {
        Flaky first = new Flaky(0);
        Flaky second = new Flaky(1);
        Config root = config(Map.of("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test"));
        try (Tickmux app = Tickmux.builder(root).extensions(List.of(first, second)).build()) {
            assertThatThrownBy(app::start).hasMessageContaining("port in use");
            assertThat(first.closes).as("the extension started before the failure").hasValue(1);
            assertThat(app.extensionHandles()).isEmpty();
            app.start();
            assertThat(app.extensionHandles()).hasSize(2);
            assertThat(app.awaitSubscribed(WAIT)).isTrue();
        }
        assertThat(first.closes).hasValue(2);
        assertThat(second.closes).hasValue(1);
    }
}
