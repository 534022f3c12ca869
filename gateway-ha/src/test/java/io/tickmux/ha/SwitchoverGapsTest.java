package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One activation's switchover gaps, against recording sinks. */
class SwitchoverGapsTest {

    private static final Instant GAP_FROM = Instant.parse("2026-12-01T10:00:03Z");

    /** A sink that keeps the status events it is given. */
    private static final class Recording implements Sink {
        final List<StatusEvent> statuses = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void start() {}

        @Override
        public void onEvents(String connectionId, List<MarketEvent> events) {}

        @Override
        public void onStatus(StatusEvent event) {
            statuses.add(event);
        }

        @Override
        public SinkHealth health() {
            return null;
        }

        @Override
        public void close() {}

        List<StatusEvent.Gap> gaps() {
            return statuses.stream().map(StatusEvent.Gap.class::cast).toList();
        }
    }

    private final Recording one = new Recording();
    private final Recording two = new Recording();
    private final List<Switchover> completed = new ArrayList<>();

    private static Switchover switchover(String from, long fromEpoch) {
        return new Switchover(
                from,
                fromEpoch,
                "B",
                15,
                GAP_FROM,
                from.isEmpty() ? null : Instant.parse("2026-12-01T10:00:05Z"),
                Instant.parse("2026-12-01T10:00:08Z"),
                null);
    }

    private SwitchoverGaps gaps(Switchover s, String... expected) {
        return new SwitchoverGaps(
                s, new LinkedHashSet<>(List.of(expected)), List.of(one, two), completed::add);
    }

    @Test
    void eachTickerGetsOneGapAtItsFirstAcknowledgementOnEverySink() {
        SwitchoverGaps g = gaps(switchover("A", 12), "AAPL", "NVDA");

        g.acknowledged("c1", "AAPL");
        g.acknowledged("c2", "AAPL"); // again, on another connection: no second gap

        assertThat(two.statuses).isEqualTo(one.statuses);
        assertThat(one.gaps()).hasSize(1);
        StatusEvent.Gap gap = one.gaps().get(0);
        assertThat(gap.symbol()).isEqualTo("AAPL");
        assertThat(gap.connectionId()).isEqualTo("c1");
        assertThat(gap.from()).isEqualTo(GAP_FROM);
        assertThat(gap.to()).isEqualTo(gap.at());
        assertThat(gap.cause())
                .isEqualTo("switchover: gateway A (epoch 12) -> gateway B (epoch 15)");
        assertThat(completed).as("NVDA not acknowledged yet").isEmpty();
        assertThat(g.handedOverNanos()).isZero();
    }

    @Test
    void theSwitchoverIsCompleteOnceWhenEveryExpectedTickerHasItsGap() {
        SwitchoverGaps g = gaps(switchover("A", 12), "AAPL", "NVDA");

        g.acknowledged("c1", "AAPL");
        g.acknowledged("c1", "MSFT"); // not expected: a gap, but the switchover waits
        assertThat(completed).isEmpty();
        g.acknowledged("c2", "NVDA");
        g.acknowledged("c2", "NVDA");

        assertThat(one.gaps())
                .extracting(StatusEvent.Gap::symbol)
                .containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(completed).hasSize(1);
        Switchover done = completed.get(0);
        assertThat(done.streaming()).isEqualTo(one.gaps().get(2).at());
        assertThat(done.from()).isEqualTo("A");
        assertThat(done.toEpoch()).isEqualTo(15);
        assertThat(g.epoch()).isEqualTo(15);
        assertThat(g.handedOverNanos()).isPositive();
    }

    @Test
    void aListenerThatThrowsDoesNotReachTheReadThread() {
        SwitchoverGaps g =
                new SwitchoverGaps(
                        switchover("A", 12),
                        Set.of("AAPL"),
                        List.of(one),
                        s -> {
                            throw new IllegalStateException("listener bug");
                        });

        g.acknowledged("c1", "AAPL");

        assertThat(one.gaps()).hasSize(1);
        assertThat(g.handedOverNanos()).as("handed over all the same").isPositive();
    }

    @Test
    void withNoPreviousHolderTheCauseSaysUnknown() {
        assertThat(SwitchoverGaps.cause(switchover("", 0)))
                .isEqualTo("switchover: gateway unknown (epoch 0) -> gateway B (epoch 15)");
    }
}
