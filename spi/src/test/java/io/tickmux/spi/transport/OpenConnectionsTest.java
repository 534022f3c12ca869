package io.tickmux.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OpenConnectionsTest {

    /** A connection that writes down what it was asked. */
    private static final class Fake implements TransportConnection {
        final String id;
        final List<String> calls;

        Fake(String id, List<String> calls) {
            this.id = id;
            this.calls = calls;
        }

        @Override
        public void connect() {
            calls.add(id + " connect");
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            calls.add(id + " subscribe " + symbols);
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            calls.add(id + " unsubscribe " + symbols);
        }

        @Override
        public void abort() {
            calls.add(id + " abort");
        }

        @Override
        public void close() {
            calls.add(id + " close");
        }
    }

    @Test
    void theHostsConnectionPassesEveryCallOnAndClosingItForgetsIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        OpenConnections open = new OpenConnections("fake");
        TransportConnection c = open.track(new Fake("c1", calls));

        c.connect();
        c.subscribe(List.of("AAPL"));
        c.unsubscribe(List.of("AAPL"));
        c.abort();
        assertThat(open.size()).isEqualTo(1);
        c.close();

        assertThat(calls)
                .containsExactly(
                        "c1 connect",
                        "c1 subscribe [AAPL]",
                        "c1 unsubscribe [AAPL]",
                        "c1 abort",
                        "c1 close");
        assertThat(open.size()).isZero();
    }

    @Test
    void closingAllClosesOnlyTheConnectionsTheHostLeftOpenAndRefusesNewOnes() {
        List<String> calls = new CopyOnWriteArrayList<>();
        OpenConnections open = new OpenConnections("fake");
        TransportConnection c1 = open.track(new Fake("c1", calls));
        open.track(new Fake("c2", calls));
        c1.close();

        open.closeAll();
        open.closeAll();

        assertThat(calls).containsExactly("c1 close", "c2 close");
        assertThat(open.isClosed()).isTrue();
        assertThatThrownBy(() -> open.checkOpen("c3"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("connection c3 not created: the fake transport is closed");
    }

    @Test
    void aConnectionMadeAfterTheTransportClosedIsClosedAtOnce() {
        List<String> calls = new CopyOnWriteArrayList<>();
        OpenConnections open = new OpenConnections("fake");
        open.closeAll();

        open.track(new Fake("late", calls));

        assertThat(calls).containsExactly("late close");
        assertThat(open.size()).isZero();
    }
}
