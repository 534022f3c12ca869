package io.tickmux.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.TickerView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManualRoutingStrategyFactoryTest {

    private static final RoutingContext CONTEXT =
            new RoutingContext() {
                @Override
                public Clock clock() {
                    return Clock.systemUTC();
                }

                @Override
                public int maxConnections() {
                    return 3;
                }

                @Override
                public Optional<TickerView> ticker(String symbol) {
                    return Optional.empty();
                }
            };

    private static ConnectionView up(String id, int count) {
        return new ConnectionView(
                id, id, ConnectionState.CONNECTED, count, 100, Map.of(), Set.of());
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(
                        ServiceLoader.load(RoutingStrategyFactory.class).stream()
                                .map(p -> p.get().name()))
                .contains("manual");
    }

    @Test
    void readsAssignmentsIncludingDottedSymbols() {
        RoutingStrategy s =
                new ManualRoutingStrategyFactory()
                        .create(
                                ConfigFactory.parseString(
                                        "assignments { AAPL = c2, \"BRK.A\" = c3 }"),
                                CONTEXT);
        List<ConnectionView> pool = List.of(up("c1", 0), up("c2", 5), up("c3", 9));
        assertThat(s.select(TickerView.of("AAPL"), pool)).contains("c2");
        assertThat(s.select(TickerView.of("BRK.A"), pool)).contains("c3");
        assertThat(s.select(TickerView.of("MSFT"), pool)).contains("c1");
    }

    @Test
    void withoutSettingsHasNoRules() {
        RoutingStrategy s =
                new ManualRoutingStrategyFactory().create(ConfigFactory.empty(), CONTEXT);
        assertThat(s.select(TickerView.of("AAPL"), List.of(up("c1", 3), up("c2", 1))))
                .contains("c2");
    }

    @Test
    void reportsBadAssignmentsWithTheirPath() {
        assertThatThrownBy(
                        () ->
                                new ManualRoutingStrategyFactory()
                                        .create(
                                                ConfigFactory.parseString(
                                                        "assignments { AAPL = 3, BRK.A = c1 }"),
                                                CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tickmux.routing.manual.assignments.AAPL")
                .hasMessageContaining("tickmux.routing.manual.assignments.BRK");
        assertThatThrownBy(
                        () ->
                                new ManualRoutingStrategyFactory()
                                        .create(
                                                ConfigFactory.parseString("assignments = 1"),
                                                CONTEXT))
                .hasMessageContaining("must be an object");
    }

    @Test
    void aRuleForAFullConnectionFallsBackToTheEmptiest() {
        RoutingStrategy s = new ManualRoutingStrategy(Map.of("AAPL", "c1"));
        ConnectionView full =
                new ConnectionView("c1", "c1", ConnectionState.CONNECTED, 5, 5, Map.of(), Set.of());
        assertThat(s.select(TickerView.of("AAPL"), List.of(full, up("c2", 4)))).contains("c2");
    }
}
