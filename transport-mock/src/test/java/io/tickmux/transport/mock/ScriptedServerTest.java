package io.tickmux.transport.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.tck.RecordingTransportListener;
import io.tickmux.tck.RecordingTransportListener.Ack;
import io.tickmux.tck.RecordingTransportListener.Connected;
import io.tickmux.tck.RecordingTransportListener.Disconnected;
import io.tickmux.tck.RecordingTransportListener.Event;
import io.tickmux.tck.RecordingTransportListener.ServerStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server and recording handles of a connection, used on their own. */
class ScriptedServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MockTransport transport = new MockTransport();
    private final RecordingTransportListener host = new RecordingTransportListener(TIMEOUT);
    private final MockConnection connection =
            transport.create(new ConnectionSpec("c1", "c1", ConfigFactory.empty()), host);
    private final ScriptedServer server = connection.server();
    private final RecordedTraffic recorded = connection.recorded();

    @Test
    void emittingBeforeTheHostConnectsFails() {
        assertThatThrownBy(() -> server.emit(MockEvents.trade("A", 1, 1L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not open (idle)");
    }

    @Test
    void onlySubscribedSymbolsAreSentAndNothingWhileMuted() {
        open();
        connection.subscribe(List.of("A"));
        assertThat(host.next()).isEqualTo(new Ack("A", true));

        server.emit(MockEvents.trade("A", 1, 1L), MockEvents.trade("B", 2, 2L));
        server.flush(TIMEOUT);
        server.mute(true); // takes effect at once, not in the wire's order
        server.emit(MockEvents.trade("A", 3, 3L), MockEvents.trade("A", 4, 4L));
        server.flush(TIMEOUT);
        server.mute(false);
        server.emit(List.of(MockEvents.trade("A", 5, 5L)));
        server.flush(TIMEOUT);

        assertThat(host.pending())
                .containsExactly(
                        new Event(MockEvents.trade("A", 1, 1L)),
                        new Event(MockEvents.trade("A", 5, 5L)));
        assertThat(recorded.delivered()).hasSize(2);
        assertThat(recorded.skippedUnsubscribed()).isEqualTo(1);
        assertThat(recorded.mutedEvents()).isEqualTo(2);
    }

    @Test
    void anEvictionSendsItsStatusThenClosesWith1008AndTheHostMayReconnect() {
        open();

        server.evict();

        assertThat(host.next()).isInstanceOf(ServerStatus.class);
        assertThat(host.next())
                .isEqualTo(
                        new Disconnected(
                                DisconnectReason.EVICTED,
                                1008,
                                "max_connections: evicted by mock"));
        server.flush(TIMEOUT);
        assertThat(server.isOpen()).isFalse();
        assertThat(transport.openSockets()).isZero();
        open();
        assertThat(recorded.sessions()).isEqualTo(2);
        assertThat(recorded.connectAttempts()).isEqualTo(2);
    }

    @Test
    void aSubscriptionSentWhileTheSocketIsDownIsLostAndNotRecorded() {
        open();
        server.drop();
        connection.subscribe(List.of("A"));
        server.flush(TIMEOUT);

        assertThat(host.next()).isInstanceOf(Disconnected.class);
        assertThat(host.pending()).isEmpty();
        assertThat(recorded.changes()).isEmpty();
        assertThat(server.serverSubscriptions()).isEmpty();
    }

    @Test
    void afterTheHostClosesTheWireStopsAndConnectFails() {
        open();

        connection.close();
        server.flush(TIMEOUT);

        assertThat(host.next())
                .isEqualTo(
                        new Disconnected(
                                DisconnectReason.CLOSED_BY_CLIENT, 1000, "closed by client"));
        assertThatThrownBy(connection::connect).hasMessage("mock connection c1 is closed");
        server.sendStatus("ignored", "the wire has stopped");
        server.flush(TIMEOUT);
        assertThat(host.pending()).isEmpty();
    }

    private void open() {
        connection.connect();
        assertThat(host.next()).isInstanceOf(Connected.class);
    }
}
