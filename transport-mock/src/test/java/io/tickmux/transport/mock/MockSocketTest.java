package io.tickmux.transport.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.tck.RecordingTransportListener;
import io.tickmux.tck.RecordingTransportListener.Disconnected;
import io.tickmux.transport.mock.internal.Disconnect;
import io.tickmux.transport.mock.internal.SubscriptionBook;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockSocketTest {

    private static final Disconnect DROPPED = new Disconnect(DisconnectReason.ABORT, 1006, "x");

    private final MockTransport transport = new MockTransport();
    private final RecordingTransportListener host =
            new RecordingTransportListener(Duration.ofSeconds(5));
    private final SubscriptionBook book = new SubscriptionBook(true);
    private final RecordedTraffic recorded = new RecordedTraffic("c1", Clock.systemUTC());
    private final MockSocket socket = new MockSocket("c1", transport, host, book, recorded);

    @Test
    void aSocketDialsOnlyFromIdleAndNeverAfterItIsClosed() {
        socket.dial();
        assertThatThrownBy(socket::dial).hasMessage("mock connection c1 is already connecting");
        socket.open();
        assertThatThrownBy(socket::dial).hasMessage("mock connection c1 is already open");

        socket.end(DROPPED);
        socket.dial();
        socket.markClosed();

        assertThatThrownBy(socket::dial).hasMessage("mock connection c1 is closed");
        assertThat(recorded.connectAttempts()).isEqualTo(2);
    }

    @Test
    void anEndedSocketIsCountedClosedOnceAndEndsOnlyOnce() {
        socket.dial();
        socket.open();
        assertThat(transport.openSockets()).isEqualTo(1);

        socket.endIfActive(DROPPED);
        socket.endIfActive(DROPPED); // idle now: nothing

        assertThat(transport.openSockets()).isZero();
        assertThat(transport.maxOpenSockets()).isEqualTo(1);
        assertThat(host.pending())
                .containsExactly(new Disconnected(DisconnectReason.ABORT, 1006, "x"));
    }

    @Test
    void aRefusedAttemptEndsWhileConnecting() {
        socket.dial();

        socket.endIfActive(Disconnect.refused(DisconnectReason.CONNECT_FAILED));

        assertThat(transport.openSockets()).isZero();
        assertThat(host.pending())
                .containsExactly(
                        new Disconnected(
                                DisconnectReason.CONNECT_FAILED, -1, "connection refused by mock"));
        assertThat(socket.isConnecting()).isFalse();
        assertThat(recorded.sessions()).isZero();
    }

    @Test
    void aNewSessionAndAnEndedOneStartWithNoSubscriptions() {
        socket.dial();
        socket.open();
        book.subscribe(List.of("A"), s -> null);

        socket.end(DROPPED);
        assertThat(book.subscriptions()).isEmpty();

        socket.dial();
        book.subscribe(List.of("B"), s -> null);
        socket.open();
        assertThat(book.subscriptions()).isEmpty();
        assertThat(recorded.sessions()).isEqualTo(2);
    }

    @Test
    void emittingNeedsAnOpenSocket() {
        assertThatThrownBy(socket::requireOpen)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "mock connection c1 is not open (idle): wait for the host to connect"
                                + " before emitting");
        socket.dial();
        socket.open();
        socket.requireOpen();
        assertThat(socket.isOpen()).isTrue();
    }
}
