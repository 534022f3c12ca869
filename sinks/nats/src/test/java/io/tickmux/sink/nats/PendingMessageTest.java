package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tickmux.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PendingMessageTest {

    private static PendingMessage status(long epoch) {
        return new PendingMessage(
                "tickmux.status.state",
                "{}".getBytes(StandardCharsets.UTF_8),
                "S.1",
                null,
                "",
                0,
                epoch);
    }

    @Test
    void carriesItsIdAndTheWireVersionAndNothingElseWhenUnfencedAndFirst() {
        NatsMessage m = status(0).message();
        assertThat(m.getSubject()).isEqualTo("tickmux.status.state");
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("{}");
        Headers h = m.getHeaders();
        assertThat(h.getFirst(WireFormat.MSG_ID_HEADER)).isEqualTo("S.1");
        assertThat(h.getFirst(WireFormat.VERSION_HEADER))
                .isEqualTo(Integer.toString(WireFormat.VERSION));
        assertThat(h.containsKey(WireFormat.EPOCH_HEADER)).isFalse();
        assertThat(h.containsKey(PendingMessage.EXPECTED_LAST_MSG_ID)).isFalse();
    }

    @Test
    void namesItsEpochAndItsPredecessor() {
        PendingMessage p = status(12);
        p.expect = "T.AAPL.7";
        Headers h = p.message().getHeaders();
        assertThat(h.getFirst(WireFormat.EPOCH_HEADER)).isEqualTo("12");
        assertThat(h.getFirst(PendingMessage.EXPECTED_LAST_MSG_ID)).isEqualTo("T.AAPL.7");
    }
}
