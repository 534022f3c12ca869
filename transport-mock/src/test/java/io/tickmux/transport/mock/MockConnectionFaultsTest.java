package io.tickmux.transport.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The mock's scripted faults that heal: held, reordered and timed-out acks, lifted refusals. */
class MockConnectionFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Records every call as one line, and the thread it came on. */
    private static class Calls implements TransportListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        private void add(String line) {
            lines.add(line);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onConnected() {
            add("connected");
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            add("disconnected " + reason);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            events.forEach(e -> add("event " + e.symbol()));
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            add((subscribed ? "ack " : "unack ") + symbol);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            add("rejected " + symbol + ": " + reason);
        }

        @Override
        public void onAckTimeout(String symbol, String detail) {
            add("timeout " + symbol);
        }

        @Override
        public void onServerStatus(String status, String message) {
            add("status " + status);
        }

        @Override
        public void onError(String kind, String detail) {
            add("error " + kind);
        }

        List<String> take() {
            List<String> out = List.copyOf(lines);
            lines.clear();
            threads.clear();
            return out;
        }
    }

    private final MockTransport mock = new MockTransport();
    private final Calls calls = new Calls();

    private MockConnection open(String id) {
        MockConnection c = mock.create(new ConnectionSpec(id, id, ConfigFactory.empty()), calls);
        c.connect();
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("connected");
        return c;
    }

    @Test
    void heldAcksAreReleasedInARandomOrderThatTheSeedFixes() {
        List<List<String>> orders = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            MockConnection c = open("c" + run);
            c.autoAck(false);
            c.subscribe(List.of("A", "B", "C", "D", "E", "F"));
            c.flush(TIMEOUT);
            assertThat(calls.take()).isEmpty();
            assertThat(c.unackedSubscriptions()).hasSize(6);
            c.ackPendingShuffled(new Random(42), 2);
            c.flush(TIMEOUT);
            List<String> first = calls.take();
            assertThat(first).hasSize(2).allMatch(l -> l.startsWith("ack "));
            assertThat(c.unackedSubscriptions()).hasSize(4);
            c.ackPendingShuffled(new Random(7));
            c.flush(TIMEOUT);
            List<String> rest = calls.take();
            assertThat(rest).hasSize(4);
            List<String> all = new java.util.ArrayList<>(first);
            all.addAll(rest);
            assertThat(all)
                    .containsExactlyInAnyOrder(
                            "ack A", "ack B", "ack C", "ack D", "ack E", "ack F");
            assertThat(c.unackedSubscriptions()).isEmpty();
            orders.add(all);
        }
        assertThat(orders.get(0)).isEqualTo(orders.get(1));
    }

    @Test
    void timedOutAcksAreReportedOnTheWireThreadAndForgottenByTheServer() {
        MockConnection c = open("c1");
        c.autoAck(false);
        c.subscribe(List.of("A", "B"));
        c.ackPendingShuffled(new Random(1), 1);
        c.flush(TIMEOUT);
        String acked = calls.take().get(0).substring(4);
        String late = acked.equals("A") ? "B" : "A";
        c.timeOutPendingAcks();
        c.flush(TIMEOUT);
        assertThat(calls.threads).containsOnly("tickmux-mock-c1");
        assertThat(calls.take()).containsExactly("timeout " + late);
        assertThat(c.serverSubscriptions()).containsExactly(acked);
        assertThat(c.unackedSubscriptions()).isEmpty();
    }

    @Test
    void droppedUnsubscribeAcksLeaveTheServerUnsubscribed() {
        MockConnection c = open("c1");
        c.subscribe(List.of("A", "B"));
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("ack A", "ack B");
        c.dropUnsubscribeAcks(true);
        c.unsubscribe(List.of("A"));
        c.flush(TIMEOUT);
        assertThat(calls.take()).isEmpty();
        assertThat(c.serverSubscriptions()).containsExactly("B");
        c.dropUnsubscribeAcks(false);
        c.unsubscribe(List.of("B"));
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("unack B");
    }

    @Test
    void refusalsLiftOnTheConnectionAndAcrossTheTransport() {
        mock.rejectSubscription("P", "not authorized");
        MockConnection c = open("c1");
        c.rejectSubscription("A", "delisted");
        c.subscribe(List.of("A", "P", "B"));
        c.flush(TIMEOUT);
        assertThat(calls.take())
                .containsExactly("rejected A: delisted", "rejected P: not authorized", "ack B");
        c.unrejectSubscription("A");
        mock.unrejectSubscription("P");
        c.subscribe(List.of("A", "P"));
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("ack A", "ack P");
        c.rejectSubscription("C", "no");
        assertThat(c.unrejectAllSubscriptions()).containsExactly("C");
    }

    @Test
    void authAndConnectFailuresHeal() {
        MockConnection c =
                mock.create(new ConnectionSpec("c1", "c1", ConfigFactory.empty()), calls);
        c.rejectAuth();
        c.connect();
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("disconnected AUTH_FAILED");
        c.allowAuth();
        c.refuseNextConnects(3, DisconnectReason.CONNECT_FAILED);
        c.connect();
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("disconnected CONNECT_FAILED");
        c.acceptConnects();
        c.connect();
        c.flush(TIMEOUT);
        assertThat(calls.take()).containsExactly("connected");
    }

    @Test
    void aThrowingListenerIsRecordedAndTheWireCarriesOn() {
        TransportListener throwing =
                new Calls() {
                    @Override
                    public void onAck(String symbol, boolean subscribed) {
                        throw new IllegalStateException("boom " + symbol);
                    }
                };
        MockConnection c =
                mock.create(new ConnectionSpec("c1", "c1", ConfigFactory.empty()), throwing);
        c.connect();
        c.subscribe(List.of("A"));
        c.flush(TIMEOUT);
        assertThat(c.isOpen()).isTrue();
        assertThat(mock.listenerErrors())
                .singleElement()
                .satisfies(e -> assertThat(e).hasMessage("boom A"));
    }
}
