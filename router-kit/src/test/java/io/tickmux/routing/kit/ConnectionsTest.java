package io.tickmux.routing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionsTest {

    private static ConnectionView view(String id, ConnectionState state, int count, int capacity) {
        return new ConnectionView(id, id, state, count, capacity, Map.of(), Set.of());
    }

    private static ConnectionView up(String id, int count) {
        return view(id, ConnectionState.CONNECTED, count, 100);
    }

    @Test
    void emptiestSkipsConnectionsThatCannotAcceptAndKeepsTheFirstOnATie() {
        List<ConnectionView> all =
                List.of(
                        view("down", ConnectionState.FAILED, 0, 100),
                        view("full", ConnectionState.CONNECTED, 5, 5),
                        up("a", 3),
                        up("b", 2),
                        up("c", 2));

        assertThat(Connections.emptiest(all)).map(ConnectionView::id).contains("b");
    }

    @Test
    void emptiestOfNoAcceptingConnectionIsEmpty() {
        assertThat(Connections.emptiest(List.of())).isEmpty();
        assertThat(Connections.emptiest(List.of(view("x", ConnectionState.COOLDOWN, 0, 10))))
                .isEmpty();
    }

    @Test
    void emptiestOfNamedIdsFollowsTheirOrderAndSkipsUnknownIds() {
        Map<String, ConnectionView> byId = Connections.byId(List.of(up("a", 1), up("b", 1)));

        assertThat(Connections.emptiest(List.of("b", "a"), byId))
                .map(ConnectionView::id)
                .contains("b");
        assertThat(Connections.emptiest(List.of("gone", "a"), byId))
                .map(ConnectionView::id)
                .contains("a");
        assertThat(Connections.emptiest(List.of("gone"), byId)).isEmpty();
    }

    @Test
    void byIdKeepsTheHostsOrder() {
        assertThat(Connections.byId(List.of(up("z", 0), up("a", 0), up("m", 0))).keySet())
                .containsExactly("z", "a", "m");
    }
}
