package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.MarketEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TickmuxBootstrapTest {

    private static Config config(Map<String, String> env) {
        return Tickmux.load(ConfigFactory.parseString(TickmuxAssemblyTest.UNIVERSES), env);
    }

    @Test
    void theInjectorAssemblesOneManagerWithExplicitBindings() throws Exception {
        List<MarketEvent> events = new CopyOnWriteArrayList<>();
        Injector injector =
                TickmuxBootstrap.injector(
                        config(Map.of("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test")),
                        Catalogue.load(),
                        events::add,
                        e -> {});
        Tickmux app = injector.getInstance(Tickmux.class);
        try (app) {
            assertThat(injector.getInstance(Tickmux.class)).isSameAs(app);
            assertThat(injector.getInstance(MultiConnectionManager.class)).isSameAs(app.manager());
            assertThat(injector.getInstance(CoreSettings.class).maxConnections()).isEqualTo(3);
            assertThat(injector.getInstance(AppSettings.class).multiConnection()).isFalse();
            app.start();
            assertThat(app.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("SPY", "QQQ", "AAPL");
        }
        assertThat(app.manager().healthStatus().connections().get(0).state())
                .isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void startConnectsAndABadConfigurationFailsWhenTheInjectorIsMade() throws Exception {
        try (Tickmux app =
                TickmuxBootstrap.start(
                        config(Map.of("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test")),
                        e -> {},
                        e -> {})) {
            assertThat(app.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
        }
        assertThatThrownBy(
                        () ->
                                TickmuxBootstrap.injector(
                                        config(Map.of("WEBSOCKET_CONNECTIONS_MAX", "0")),
                                        Catalogue.load(),
                                        e -> {},
                                        e -> {}))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining(
                        "tickmux.core.max-connections = 0 (environment variable"
                                + " WEBSOCKET_CONNECTIONS_MAX) is out of range");
    }
}
