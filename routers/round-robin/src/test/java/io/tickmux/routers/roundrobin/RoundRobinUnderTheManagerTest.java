package io.tickmux.routers.roundrobin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.RebalanceResult;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's scenario 5, end to end on the mock transport. */
class RoundRobinUnderTheManagerTest {

    @Test
    void oneUniverseOnConnectionOneIsSpreadOverAllEnabledConnections() throws Exception {
        MockTransport mock = new MockTransport();
        var root =
                ConfigFactory.parseString(
                                "tickmux.routing.strategy = round-robin\n"
                                        + "tickmux.core.auto-rebalance = off")
                        .withFallback(ConfigFactory.load());
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(mock)
                        .routing(Catalogue.load(), root)
                        .connection(ConnectionDefinition.of("connection_1"))
                        .connection(ConnectionDefinition.of("connection_2"))
                        .connection(ConnectionDefinition.of("connection_3"))
                        .build()) {
            List<String> top100 = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                top100.add("L" + i);
            }
            assertThat(m.connectAll(Map.of("connection_1", top100), Duration.ofSeconds(30)))
                    .isTrue();
            RebalanceResult r = m.rebalanceConnections();
            assertThat(r.moves()).hasSize(66);
            assertThat(r.tickersAfter())
                    .isEqualTo(Map.of("connection_1", 34, "connection_2", 33, "connection_3", 33));
            assertThat(m.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            assertThat(mock.connection("connection_2").serverSubscriptions()).hasSize(33);
            assertThat(mock.connection("connection_1").serverSubscriptions()).hasSize(34);
            assertThat(m.rebalanceConnections().moves()).isEmpty();
        }
    }
}
