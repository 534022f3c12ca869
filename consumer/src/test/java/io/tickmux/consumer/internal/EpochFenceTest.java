package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpochFenceTest {

    private final EpochFence fence = new EpochFence("d");

    @Test
    void messagesWithoutAnEpochAreNeverDropped() {
        assertThat(fence.fencedOff(0, 1, "s")).isFalse();
        fence.fencedOff(5, 2, "s");
        assertThat(fence.fencedOff(0, 3, "s")).isFalse();
        assertThat(fence.epoch()).isEqualTo(5);
        assertThat(fence.dropped()).isZero();
    }

    @Test
    void anOlderEpochAfterANewerOneIsDroppedAndCountedAndTheSameOrANewerPasses() {
        assertThat(fence.fencedOff(5, 1, "s")).isFalse();
        assertThat(fence.fencedOff(5, 2, "s")).isFalse();
        assertThat(fence.fencedOff(7, 3, "s")).isFalse();
        assertThat(fence.fencedOff(5, 4, "s")).as("a late message of the old holder").isTrue();
        assertThat(fence.fencedOff(6, 5, "s")).isTrue();
        assertThat(fence.fencedOff(7, 6, "s")).isFalse();

        assertThat(fence.epoch()).isEqualTo(7);
        assertThat(fence.dropped()).isEqualTo(2);
    }

    @Test
    void beforeAnyEpochTheFenceHoldsNone() {
        assertThat(fence.epoch()).isZero();
        assertThat(fence.fencedOff(3, 1, "s")).isFalse();
        assertThat(fence.epoch()).isEqualTo(3);
    }
}
