package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.massive.internal.DisconnectClassifier.Ending;
import java.io.IOException;
import java.net.URI;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Why a socket ended: what this side or the server said first, else the close code. */
class DisconnectClassifierTest {

    private final DisconnectClassifier cause =
            new DisconnectClassifier(URI.create("wss://socket.example/stocks"), 65_536);

    @Test
    void anOpenSocketEndsByItsCloseCode() {
        assertThat(ending(1000, "bye", true))
                .isEqualTo(new Ending(DisconnectReason.CLEAN_CLOSE, "bye", false));
        assertThat(ending(1001, "", true).reason()).isEqualTo(DisconnectReason.CLEAN_CLOSE);
        assertThat(ending(1008, "policy", true).reason()).isEqualTo(DisconnectReason.POLICY);
        assertThat(ending(1006, "", false).reason()).isEqualTo(DisconnectReason.ABORT);
        assertThat(ending(1011, "oops", true).reason()).isEqualTo(DisconnectReason.ABORT);
    }

    @Test
    void theDetailIsTheServersReasonOnOneLineElseWhoClosed() {
        assertThat(ending(1000, "line\nforged", true).detail()).isEqualTo("line\\nforged");
        assertThat(ending(1000, "", true).detail()).isEqualTo("closed by server");
        assertThat(ending(1006, null, false).detail()).isEqualTo("closed");
    }

    @Test
    void aFrameThisSideRefusedAsTooLargeIsAnAbortAndAnError() {
        Ending e = ending(1009, "", false);

        assertThat(e.reason()).isEqualTo(DisconnectReason.ABORT);
        assertThat(e.frameTooLarge()).isTrue();
        assertThat(e.detail()).contains("max-frame-size = 65536 bytes");
        assertThat(ending(1009, "too big", true))
                .as("the server refusing one of ours")
                .isEqualTo(new Ending(DisconnectReason.ABORT, "too big", false));
    }

    @Test
    void anEndDecidedHereWinsOverTheCloseCodeAndTheFirstStays() {
        cause.endedLocally(DisconnectReason.READ_TIMEOUT, "nothing read for 30001ms");
        cause.endedLocally(DisconnectReason.ABORT, "aborted by client");

        assertThat(ending(1000, "bye", true))
                .isEqualTo(
                        new Ending(
                                DisconnectReason.READ_TIMEOUT, "nothing read for 30001ms", false));
    }

    @Test
    void theHostClosingWinsOverAnEarlierEnd() {
        cause.endedLocally(DisconnectReason.READ_TIMEOUT, "nothing read for 30001ms");
        cause.endedLocally(DisconnectReason.CLOSED_BY_CLIENT, "closed by client");
        cause.endedLocally(DisconnectReason.ABORT, "aborted by client");

        assertThat(ending(1006, "", false).reason()).isEqualTo(DisconnectReason.CLOSED_BY_CLIENT);
    }

    @Test
    void whatTheServerAnnouncesWinsOverWhatCameBefore() {
        cause.endedLocally(DisconnectReason.ABORT, "aborted by client");
        cause.announced(DisconnectReason.EVICTED, "max_connections: too many");

        assertThat(ending(1008, "policy", true))
                .isEqualTo(
                        new Ending(DisconnectReason.EVICTED, "max_connections: too many", false));
    }

    @Test
    void aSocketThatNeverOpenedFailedToConnect() {
        assertThat(cause.closed(false, 1006, "", false)).isEmpty();

        cause.endedLocally(DisconnectReason.CONNECT_FAILED, "no auth reply within PT10S");
        assertThat(cause.closed(false, 1006, "", false))
                .as("ended here before it opened")
                .contains(
                        new Ending(
                                DisconnectReason.CONNECT_FAILED,
                                "no auth reply within PT10S",
                                false));
    }

    @Test
    void aFailedConnectNamesTheErrorElseTheReasonElseTheCode() {
        assertThat(cause.connectFailed(1006, ""))
                .isEqualTo("could not open wss://socket.example/stocks (close code 1006)");
        assertThat(cause.connectFailed(1002, "bad\nupgrade"))
                .isEqualTo("could not open wss://socket.example/stocks: bad\\nupgrade");
        assertThat(cause.errorKnown()).isFalse();

        String logged = cause.error(new SSLHandshakeException("PKIX path\nbuilding failed"));

        assertThat(cause.errorKnown()).isTrue();
        assertThat(logged).isEqualTo("SSLHandshakeException: PKIX path\\nbuilding failed");
        assertThat(cause.connectFailed(1006, "bad upgrade"))
                .isEqualTo(
                        "could not open wss://socket.example/stocks: SSLHandshakeException: PKIX"
                                + " path\\nbuilding failed");
        assertThat(cause.error(new IOException())).isEqualTo("IOException");
    }

    private Ending ending(int code, String reason, boolean remote) {
        return cause.closed(true, code, reason, remote).orElseThrow();
    }
}
