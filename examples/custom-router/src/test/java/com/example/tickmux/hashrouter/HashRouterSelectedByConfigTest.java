package com.example.tickmux.hashrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin is found on the classpath and selected by name, as a user's application would. */
class HashRouterSelectedByConfigTest {

    @Test
    void configurationSelectsTheRouterByName() throws Exception {
        Config root =
                ConfigFactory.parseString("tickmux.routing { strategy = hash, hash.seed = 42 }")
                        .withFallback(ConfigFactory.load());
        Catalogue catalogue = Catalogue.load();
        assertThat(catalogue.routerNames()).contains("hash", "manual");
        MockTransport mock = new MockTransport();
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(mock)
                        .routing(catalogue, root)
                        .connection(ConnectionDefinition.of("c1"))
                        .connection(ConnectionDefinition.of("c2"))
                        .connection(ConnectionDefinition.of("c3"))
                        .build()) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                assertThat(m.subscribeTicker("T" + i)).isTrue();
                counts.merge(m.connectionForTicker("T" + i).orElseThrow(), 1, Integer::sum);
            }
            // A hash spreads 300 tickers roughly evenly; every connection gets a fair share.
            assertThat(counts.values()).allMatch(n -> n > 60 && n < 140);
            // The same symbol lands where the hash says, every time.
            String where = m.connectionForTicker("T7").orElseThrow();
            m.unsubscribeTicker("T7");
            m.subscribeTicker("T7");
            assertThat(m.connectionForTicker("T7")).contains(where);
            m.start();
            assertThat(m.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(
                        () ->
                                new HashRouterFactory()
                                        .create(ConfigFactory.parseString("sead = 1"), null))
                .hasMessageContaining("unknown key tickmux.routing.hash.sead");
        assertThat(new HashRouter(1).select(io.tickmux.routing.TickerView.of("A"), List.of()))
                .isEmpty();
    }
}
