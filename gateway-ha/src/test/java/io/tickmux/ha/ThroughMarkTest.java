package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The published-through time a holder writes: the inherited one until its own gaps are out. */
class ThroughMarkTest {

    private final ThroughMark mark = new ThroughMark();

    @Test
    void untilTheGapsAreHandedOverTheMarkIsNeverLaterThanTheInheritedOne() {
        mark.inherit(1_000);

        assertThat(mark.through(5_000, 0)).as("sinks ahead, nothing handed over").isEqualTo(1_000);
        assertThat(mark.through(800, 0)).as("sinks behind").isEqualTo(800);
    }

    @Test
    void theSinksMarkCountsOnceItPassedTheHandOverAndFromThenOn() {
        mark.inherit(1_000);

        assertThat(mark.through(3_000, 4_000))
                .as("handed over, not yet published past it")
                .isEqualTo(1_000);
        assertThat(mark.through(4_000, 4_000))
                .as("at the hand-over is not past it")
                .isEqualTo(1_000);
        assertThat(mark.through(4_500, 4_000)).isEqualTo(4_500);
        assertThat(mark.through(900, 4_000)).as("settled: the sinks' mark as it is").isEqualTo(900);
        assertThat(mark.through(6_000, 0)).isEqualTo(6_000);
    }

    @Test
    void aNewAcquisitionInheritsAgain() {
        mark.inherit(1_000);
        assertThat(mark.through(4_500, 4_000)).isEqualTo(4_500);

        mark.inherit(2_000);

        assertThat(mark.through(7_000, 0)).isEqualTo(2_000);
    }
}
