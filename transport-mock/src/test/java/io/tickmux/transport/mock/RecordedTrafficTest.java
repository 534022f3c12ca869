package io.tickmux.transport.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedTrafficTest {

    private static final Instant T0 = Instant.parse("2024-01-02T14:30:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordedTraffic recorded = new RecordedTraffic("c1", clock);

    @Test
    void aChangeIsStampedWithItsSessionAndTheClock() {
        recorded.recordSession();
        recorded.recordChange(true, List.of("A", "B"));
        recorded.recordSession();
        clock.advance(Duration.ofSeconds(5));
        recorded.recordChange(false, List.of("A"));

        assertThat(recorded.changes())
                .containsExactly(
                        new SubscriptionChange("c1", 1, true, List.of("A", "B"), T0),
                        new SubscriptionChange("c1", 2, false, List.of("A"), T0.plusSeconds(5)));
        assertThat(recorded.sessions()).isEqualTo(2);
    }

    @Test
    void takeChangeHandsOutEachChangeOnceInOrderAndFailsWhenNoneIsLeft() {
        recorded.recordChange(true, List.of("A"));
        recorded.recordChange(true, List.of("B"));

        assertThat(recorded.takeChange(Duration.ofSeconds(5)).symbols()).containsExactly("A");
        assertThat(recorded.takeChange(Duration.ofSeconds(5)).symbols()).containsExactly("B");
        assertThatThrownBy(() -> recorded.takeChange(Duration.ZERO))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for a subscription change on c1");
        assertThat(recorded.changes()).hasSize(2);
    }

    @Test
    void countsAddUp() {
        recorded.recordConnectAttempt();
        recorded.recordConnectAttempt();
        recorded.recordMuted(3);
        recorded.recordMuted(2);
        recorded.recordSkipped();
        recorded.recordDelivered(List.of(MockEvents.trade("A", 1, 1L)));
        recorded.recordDelivered(List.of(MockEvents.trade("A", 2, 2L)));
        IllegalStateException e = new IllegalStateException("boom");
        recorded.recordListenerError(e);

        assertThat(recorded.connectAttempts()).isEqualTo(2);
        assertThat(recorded.mutedEvents()).isEqualTo(5);
        assertThat(recorded.skippedUnsubscribed()).isEqualTo(1);
        assertThat(recorded.delivered())
                .extracting(ev -> ev.timestampMillis())
                .containsExactly(1L, 2L);
        assertThat(recorded.listenerErrors()).containsExactly(e);
    }
}
