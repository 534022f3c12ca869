package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a sink says it has published through, from its two marks. */
class PublishedThroughTest {

    @Test
    void itStartsAtTheStartAndFollowsTheLastAcknowledgedEvent() {
        PublishedThrough p = new PublishedThrough();
        p.start(100);
        assertThat(p.nanos()).isEqualTo(100);
        p.acknowledged(150);
        assertThat(p.nanos()).isEqualTo(150);
        // An event received before the last idle moment does not move it back.
        p.idle(200);
        p.acknowledged(180);
        assertThat(p.nanos()).isEqualTo(200);
    }

    @Test
    void aStatusEventHandedOverHoldsItAtTheLastIdleMomentUntilTheNext() {
        PublishedThrough p = new PublishedThrough();
        p.start(100);
        p.idle(120);
        p.statusHandedOver(130);
        p.acknowledged(140);
        assertThat(p.nanos()).isEqualTo(120);
        p.idle(125); // idle again, but taken before the status event was handed over
        assertThat(p.nanos()).isEqualTo(125);
        p.idle(135); // idle after it: the status event is published
        assertThat(p.nanos()).isEqualTo(140);
        p.idle(160);
        assertThat(p.nanos()).isEqualTo(160);
        p.acknowledged(170);
        assertThat(p.nanos()).isEqualTo(170);
    }

    @Test
    void aStatusEventHandedOverAtTheIdleMomentDoesNotHoldIt() {
        PublishedThrough p = new PublishedThrough();
        p.start(100);
        p.statusHandedOver(100);
        p.acknowledged(110);
        assertThat(p.nanos()).isEqualTo(110);
    }
}
