package io.tickmux.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingSpiTest {

    /** Picks the first connection that can accept: enough to exercise the default plan. */
    private static final RoutingStrategy FIRST_FIT =
            (t, cs) ->
                    cs.stream()
                            .filter(ConnectionView::canAccept)
                            .map(ConnectionView::id)
                            .findFirst();

    private static ConnectionView c(String id, ConnectionState s, int count, int cap) {
        return new ConnectionView(id, null, s, count, cap, null, null);
    }

    @Test
    void statesSayWhatIsRoutableAndTerminal() {
        assertThat(ConnectionState.CONNECTED.isRoutable()).isTrue();
        assertThat(ConnectionState.RECONNECTING.isRoutable()).isTrue();
        assertThat(ConnectionState.COOLDOWN.isRoutable()).isFalse();
        assertThat(ConnectionState.FAILED.isRoutable()).isFalse();
        assertThat(ConnectionState.FAILED.isTerminal()).isTrue();
        assertThat(ConnectionState.CLOSED.isTerminal()).isTrue();
        assertThat(ConnectionState.COOLDOWN.isTerminal()).isFalse();
    }

    @Test
    void viewsValidateAndDefault() {
        TickerView t = new TickerView("BRK.A", null, null, null);
        assertThat(t.tier()).isEmpty();
        assertThat(t.tierIfKnown()).isEmpty();
        assertThat(new TickerView("A", "premium", "technology", Set.of()).sectorIfKnown())
                .contains("technology");
        assertThat(new TickerView("A", "premium", "", Set.of()).tierIfKnown()).contains("premium");
        assertThat(TickerView.of("A").sectorIfKnown()).isEmpty();
        assertThatThrownBy(() -> TickerView.of(" ")).hasMessage("symbol is blank");
        assertThatThrownBy(() -> TickerView.of(null)).hasMessage("symbol is null");

        ConnectionView v = c("c1", ConnectionState.CONNECTED, 1, 2);
        assertThat(v.name()).isEqualTo("c1");
        assertThat(v.canAccept()).isTrue();
        assertThat(c("c1", ConnectionState.CONNECTED, 2, 2).canAccept()).isFalse();
        assertThat(v.load()).isZero();
        assertThat(
                        new ConnectionView(
                                        "c",
                                        "c",
                                        ConnectionState.NEW,
                                        2,
                                        9,
                                        Map.of("A", 1.5, "B", 2.0),
                                        Set.of())
                                .load())
                .isEqualTo(3.5);
        ConnectionView rated =
                new ConnectionView(
                        "r",
                        "fast",
                        ConnectionState.CONNECTED,
                        1,
                        3,
                        Map.of("A", 2.0),
                        Set.of("x"));
        ConnectionView copy = rated.withTickerCount(3);
        assertThat(copy)
                .isEqualTo(
                        new ConnectionView(
                                "r",
                                "fast",
                                ConnectionState.CONNECTED,
                                3,
                                3,
                                Map.of("A", 2.0),
                                Set.of("x")));
        assertThat(copy.canAccept()).isFalse();
        assertThat(rated.withTickerCount(1)).isSameAs(rated);
        assertThatThrownBy(() -> rated.withTickerCount(-1))
                .hasMessageContaining("tickerCount is negative");
        assertThatThrownBy(() -> c(" ", ConnectionState.NEW, 0, 1)).hasMessage("id is blank");
        assertThatThrownBy(() -> c("c", ConnectionState.NEW, -1, 1))
                .hasMessageContaining("tickerCount is negative");
        assertThatThrownBy(() -> c("c", ConnectionState.NEW, 0, -1))
                .hasMessageContaining("capacity is negative");
    }

    @Test
    void defaultPlanKeepsLiveTickersAndReHomesTheRest() {
        Map<String, Collection<TickerView>> current =
                Map.of(
                        "c1", List.of(TickerView.of("A"), TickerView.of("B")),
                        "c2", List.of(TickerView.of("C"), TickerView.of("D")),
                        "gone", List.of(TickerView.of("E")));
        List<ConnectionView> pool =
                List.of(
                        c("c1", ConnectionState.CONNECTED, 2, 3),
                        c("c2", ConnectionState.FAILED, 2, 10),
                        c("c3", ConnectionState.RECONNECTING, 0, 1));
        Map<String, Set<String>> plan = FIRST_FIT.plan(current, pool);
        assertThat(plan).containsOnlyKeys("c1", "c3");
        assertThat(plan.get("c1")).containsExactlyInAnyOrder("A", "B", "C");
        assertThat(plan.get("c3")).containsExactly("D");
        // E fits nowhere: left out, stays where it is.
    }

    @Test
    void defaultImbalanceAndRefusal() {
        assertThat(FIRST_FIT.imbalance(List.of())).isZero();
        assertThat(
                        FIRST_FIT.imbalance(
                                List.of(
                                        c("a", ConnectionState.CONNECTED, 10, 99),
                                        c("b", ConnectionState.CONNECTED, 10, 99))))
                .isZero();
        assertThat(
                        FIRST_FIT.imbalance(
                                List.of(
                                        c("a", ConnectionState.CONNECTED, 30, 99),
                                        c("b", ConnectionState.CONNECTED, 0, 99),
                                        c("dead", ConnectionState.FAILED, 500, 999))))
                .isEqualTo(1.0);
        assertThat(FIRST_FIT.explainRefusal(TickerView.of("A"), List.of()))
                .contains("no connections");
        assertThat(
                        FIRST_FIT.explainRefusal(
                                TickerView.of("A"), List.of(c("a", ConnectionState.FAILED, 0, 1))))
                .contains("all full or down");
    }

    @Test
    void defaultPlanIgnoresASelectionOfAConnectionThatIsDown() {
        RoutingStrategy wrong = (t, cs) -> Optional.of("c2");
        Map<String, Set<String>> plan =
                wrong.plan(
                        Map.of("c2", List.of(TickerView.of("A"))),
                        List.of(
                                c("c1", ConnectionState.CONNECTED, 0, 5),
                                c("c2", ConnectionState.CLOSED, 1, 5)));
        assertThat(plan).containsOnlyKeys("c1");
        assertThat(plan.get("c1")).isEmpty();
    }
}
