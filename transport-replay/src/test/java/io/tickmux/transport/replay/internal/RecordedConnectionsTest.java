package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.replay.internal.RecordedConnections.Disconnect;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a recorded disconnect is to the replay, from what the recorded manager did. */
class RecordedConnectionsTest {

    final RecordedConnections recorded = new RecordedConnections();

    static Entry.Command command(String id, Entry.CommandKind kind) {
        return new Entry.Command(id, 0, kind, List.of());
    }

    static Entry.Disconnected lost(String id, DisconnectReason reason) {
        return new Entry.Disconnected(id, 0, reason, 1006, "gone");
    }

    @Test
    void aDisconnectAfterConnectedIsALostConnection() {
        recorded.command(command("c1", Entry.CommandKind.CONNECT));
        recorded.connected("c1");
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.ABORT)))
                .isEqualTo(Disconnect.LOST);
    }

    @Test
    void aDisconnectWhileConnectingIsAFailedConnectOnce() {
        recorded.command(command("c1", Entry.CommandKind.CONNECT));
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.CONNECT_FAILED)))
                .isEqualTo(Disconnect.FAILED_CONNECT);
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.CONNECT_FAILED)))
                .as("the connection is idle after it")
                .isEqualTo(Disconnect.LOST);
    }

    @Test
    void aConnectWhileConnectedDoesNotMakeItConnecting() {
        recorded.connected("c1");
        recorded.command(command("c1", Entry.CommandKind.CONNECT));
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.ABORT)))
                .isEqualTo(Disconnect.LOST);
    }

    @Test
    void theRecordedManagersOwnAbortOrCloseIsNotPlayedAndOnlyOnce() {
        recorded.connected("c1");
        recorded.connected("c2");
        recorded.command(command("c1", Entry.CommandKind.ABORT));
        recorded.command(command("c2", Entry.CommandKind.CLOSE));
        assertThat(recorded.disconnected(lost("c2", DisconnectReason.ABORT)))
                .isEqualTo(Disconnect.NOT_PLAYED);
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.ABORT)))
                .isEqualTo(Disconnect.NOT_PLAYED);
        recorded.command(command("c1", Entry.CommandKind.CONNECT));
        recorded.connected("c1");
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.ABORT)))
                .as("the next loss was not asked for")
                .isEqualTo(Disconnect.LOST);
    }

    @Test
    void aCloseByTheClientIsNeverPlayed() {
        recorded.connected("c1");
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.CLOSED_BY_CLIENT)))
                .isEqualTo(Disconnect.NOT_PLAYED);
    }

    @Test
    void aStateEntryResumesOnlyAConnectionNotSeenBeforeAndUp() {
        assertThat(recorded.resumes(new Entry.State("c1", 0, false, Set.of()))).isFalse();
        assertThat(recorded.resumes(new Entry.State("c1", 0, true, Set.of("AAPL")))).isTrue();
        assertThat(recorded.resumes(new Entry.State("c1", 0, true, Set.of("AAPL"))))
                .as("already known")
                .isFalse();
        assertThat(recorded.disconnected(lost("c1", DisconnectReason.ABORT)))
                .as("a resumed connection is connected")
                .isEqualTo(Disconnect.LOST);
        recorded.command(command("c2", Entry.CommandKind.CONNECT));
        assertThat(recorded.resumes(new Entry.State("c2", 0, true, Set.of())))
                .as("a connection the file already mentioned")
                .isFalse();
    }
}
