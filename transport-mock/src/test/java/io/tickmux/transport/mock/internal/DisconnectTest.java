package io.tickmux.transport.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.tck.RecordingTransportListener;
import io.tickmux.tck.RecordingTransportListener.Disconnected;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DisconnectTest {

    @Test
    void aServerCloseCodeMapsToItsReason() {
        assertThat(Disconnect.closedByServer(1000, "bye").reason())
                .isEqualTo(DisconnectReason.CLEAN_CLOSE);
        assertThat(Disconnect.closedByServer(1001, "going away").reason())
                .isEqualTo(DisconnectReason.CLEAN_CLOSE);
        assertThat(Disconnect.closedByServer(1008, "policy").reason())
                .isEqualTo(DisconnectReason.POLICY);
        assertThat(Disconnect.closedByServer(1011, "oops"))
                .isEqualTo(new Disconnect(DisconnectReason.ABORT, 1011, "oops"));
    }

    @Test
    void aRefusedAuthenticationClosesWith1006AndOtherRefusalsNeverOpened() {
        assertThat(Disconnect.refused(DisconnectReason.AUTH_FAILED).code()).isEqualTo(1006);
        assertThat(Disconnect.refused(DisconnectReason.CONNECT_FAILED))
                .isEqualTo(
                        new Disconnect(
                                DisconnectReason.CONNECT_FAILED, -1, "connection refused by mock"));
    }

    @Test
    void theHostHearsTheReasonCodeAndDetail() {
        RecordingTransportListener host = new RecordingTransportListener(Duration.ofSeconds(5));

        Disconnect.closedByServer(1008, "max_connections").deliverTo(host);

        assertThat(host.pending())
                .containsExactly(
                        new Disconnected(DisconnectReason.POLICY, 1008, "max_connections"));
    }
}
