package io.tickmux.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lease epoch, a field added within version 1. */
class WireEpochTest {

    private final WireWriter w = new WireWriter();
    private final WireReader r = new WireReader();

    @Test
    void aMarketEventCarriesTheEpochWhenThereIsOneAndOnlyThen() {
        FairMarketValue e = new FairMarketValue("A", 1.5, 1);
        byte[] stamped = w.market(e, "connection_1", 9, 12);
        assertThat(new String(stamped, StandardCharsets.UTF_8)).endsWith(",\"epoch\":12}");
        assertThat(r.read(stamped)).isEqualTo(new WireMessage.Market(e, "connection_1", 9, 12));
        byte[] plain = w.market(e, "connection_1", 9);
        assertThat(new String(plain, StandardCharsets.UTF_8)).doesNotContain("epoch");
        assertThat(r.read(plain).epoch()).isZero();
    }

    @Test
    void aStatusEventCarriesItToo() {
        StatusEvent.Gap g =
                new StatusEvent.Gap(
                        "A",
                        "connection_1",
                        Instant.ofEpochSecond(1),
                        Instant.ofEpochSecond(2),
                        "switchover: gateway a (epoch 3) -> gateway b (epoch 7)",
                        Instant.ofEpochSecond(3));
        assertThat(r.read(w.status(g, 7))).isEqualTo(new WireMessage.Status(g, 7));
        assertThat(r.read(w.status(g))).isEqualTo(new WireMessage.Status(g));
    }
}
