package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.transport.DisconnectReason;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The state entries a new file begins with, followed from the entries written. */
class ConnectionStatesTest {

    final ConnectionStates states = new ConnectionStates();

    private Map<String, Entry.State> byId(long nanos) {
        return states.states(nanos).stream()
                .collect(Collectors.toMap(Entry.State::connectionId, Function.identity()));
    }

    @Test
    void aConnectedConnectionHoldsItsAcknowledgedTickersInOrder() {
        states.track(new Entry.Connected("c1", 1));
        states.track(new Entry.Ack("c1", 2, "MSFT", true));
        states.track(new Entry.Ack("c1", 3, "AAPL", true));
        states.track(new Entry.Ack("c1", 4, "TSLA", true));
        states.track(new Entry.Ack("c1", 5, "AAPL", false));
        states.track(new Entry.Rejected("c1", 6, "BAD", "unknown"));

        Entry.State c1 = byId(99).get("c1");
        assertThat(c1.nanos()).isEqualTo(99);
        assertThat(c1.connected()).isTrue();
        assertThat(c1.acked()).containsExactly("MSFT", "TSLA");
    }

    @Test
    void aDisconnectDropsWhatTheConnectionHeldAndAReconnectStartsEmpty() {
        states.track(new Entry.Connected("c1", 1));
        states.track(new Entry.Ack("c1", 2, "AAPL", true));
        states.track(new Entry.Disconnected("c1", 3, DisconnectReason.ABORT, 1006, "gone"));
        assertThat(byId(4).get("c1").connected()).isFalse();
        assertThat(byId(4).get("c1").acked()).isEmpty();

        states.track(new Entry.Ack("c1", 5, "MSFT", true)); // late, before the reconnect
        states.track(new Entry.Connected("c1", 6));
        assertThat(byId(7).get("c1").acked()).isEmpty();
    }

    @Test
    void everyConnectionSeenIsListedAndBookkeepingEntriesAreNot() {
        assertThat(states.states(0)).isEmpty();
        states.track(new Entry.Dropped("", 1, 12));
        states.track(new Entry.Command("c2", 2, Entry.CommandKind.CONNECT, List.of()));
        states.track(new Entry.Connected("c1", 3));
        assertThat(byId(4)).containsOnlyKeys("c1", "c2");
        assertThat(byId(4).get("c2").connected()).as("asked, never connected").isFalse();
    }

    @Test
    void aStateEntryIsACopyThatLaterEntriesDoNotChange() {
        states.track(new Entry.Connected("c1", 1));
        states.track(new Entry.Ack("c1", 2, "AAPL", true));
        Entry.State before = byId(3).get("c1");
        states.track(new Entry.Ack("c1", 4, "MSFT", true));
        assertThat(before.acked()).containsExactly("AAPL");
    }
}
