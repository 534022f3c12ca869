package io.tickmux.transport.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.transport.DisconnectReason;
import org.junit.jupiter.api.Test;

class ConnectPolicyTest {

    private final ConnectPolicy policy = new ConnectPolicy();

    @Test
    void queuedRefusalsAreUsedUpInOrderThenAttemptsAreAccepted() {
        policy.refuseNext(1, DisconnectReason.CONNECT_FAILED);
        policy.refuseNext(1, DisconnectReason.ABORT);

        assertThat(policy.answer())
                .map(Disconnect::reason)
                .hasValue(DisconnectReason.CONNECT_FAILED);
        assertThat(policy.answer()).map(Disconnect::reason).hasValue(DisconnectReason.ABORT);
        assertThat(policy.answer()).isEmpty();
    }

    @Test
    void aRejectedAuthFailsEveryAttemptAndKeepsQueuedRefusalsForLater() {
        policy.refuseNext(1, DisconnectReason.CONNECT_FAILED);
        policy.rejectAuth();

        assertThat(policy.answer())
                .hasValue(
                        new Disconnect(
                                DisconnectReason.AUTH_FAILED, 1006, "authentication failed"));
        assertThat(policy.answer()).map(Disconnect::reason).hasValue(DisconnectReason.AUTH_FAILED);

        policy.allowAuth();
        assertThat(policy.answer())
                .hasValue(
                        new Disconnect(
                                DisconnectReason.CONNECT_FAILED, -1, "connection refused by mock"));
        assertThat(policy.answer()).isEmpty();
    }

    @Test
    void acceptConnectsForgetsQueuedRefusals() {
        policy.refuseNext(3, DisconnectReason.CONNECT_FAILED);
        policy.answer();

        policy.acceptConnects();

        assertThat(policy.answer()).isEmpty();
    }
}
