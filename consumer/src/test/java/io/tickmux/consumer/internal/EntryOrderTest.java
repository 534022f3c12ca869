package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntryOrderTest {

    @Test
    void idsCompareAsNumbersPartByPart() {
        assertThat(EntryOrder.compare("10-0", "9-5")).isPositive();
        assertThat(EntryOrder.compare("9-5", "10-0")).isNegative();
        assertThat(EntryOrder.compare("7-10", "7-9")).isPositive();
        assertThat(EntryOrder.compare("7-9", "7-9")).isZero();
    }

    @Test
    void anEntryAtOrBeforeItsStreamsLastHandledWasHandledBeforeAndStreamsAreApart() {
        EntryOrder order = new EntryOrder();
        assertThat(order.handledBefore("s:a", "1-0")).isFalse();
        order.handled("s:a", "100-2");

        assertThat(order.handledBefore("s:a", "99-9")).isTrue();
        assertThat(order.handledBefore("s:a", "100-2")).isTrue();
        assertThat(order.handledBefore("s:a", "100-3")).isFalse();
        assertThat(order.handledBefore("s:b", "1-0")).as("another stream").isFalse();
    }
}
