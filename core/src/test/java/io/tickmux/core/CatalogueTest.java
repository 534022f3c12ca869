package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    private static RoutingStrategyFactory router(String name) {
        return new RoutingStrategyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RoutingStrategy create(com.typesafe.config.Config s, RoutingContext c) {
                return new io.tickmux.core.routing.ManualRoutingStrategy(java.util.Map.of());
            }
        };
    }

    private static TransportFactory transport(String name) {
        return new TransportFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Transport create(TransportContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void findsTheBuiltInManualRouterOnTheClasspath() {
        Catalogue c = Catalogue.load();
        assertThat(c.routerNames()).contains("manual");
        assertThat(c.router("manual")).isInstanceOf(ManualRoutingStrategyFactory.class);
    }

    @Test
    void reportsBadNamesAndDuplicatesAndKeepsTheRest() {
        Catalogue c =
                Catalogue.of(
                        List.of(router("a"), router("Bad Name"), router("a"), router("b")),
                        List.of(transport("x")));
        assertThat(c.routerNames()).containsExactly("a", "b");
        assertThat(c.transportNames()).containsExactly("x");
        assertThat(c.problems())
                .hasSize(2)
                .anyMatch(p -> p.contains("invalid name 'Bad Name'"))
                .anyMatch(p -> p.contains("two routers are named 'a'"));
        assertThat(c.transport("x").name()).isEqualTo("x");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        Catalogue c = Catalogue.of(List.of(router("round-robin")), List.of(transport("mock")));
        assertThatThrownBy(() -> c.router("round-robbin"))
                .hasMessageContaining("unknown router 'round-robbin'")
                .hasMessageContaining("[round-robin]");
        assertThatThrownBy(() -> c.transport("massiv"))
                .hasMessageContaining(
                        "unknown transport 'massiv' (tickmux.app.transport): known are [mock]");
    }

    @Test
    void theBuilderCreatesTheRouterConfigurationNames() {
        Catalogue c = Catalogue.load();
        var root =
                ConfigFactory.parseString(
                                "tickmux.routing { strategy = manual, manual.assignments { AAPL ="
                                        + " c2 } }")
                        .withFallback(ConfigFactory.load());
        assertThat(Catalogue.routerSettings(root, "manual").getString("assignments.AAPL"))
                .isEqualTo("c2");
        assertThat(Catalogue.routerSettings(root, "nothing").isEmpty()).isTrue();
        MultiConnectionManager.Builder b =
                MultiConnectionManager.builder().routing(c, root).transport(transport("t"));
        assertThat(b).isNotNull();
    }
}
