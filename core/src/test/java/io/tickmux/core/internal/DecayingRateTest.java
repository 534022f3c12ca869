package io.tickmux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DecayingRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void convergesOnASteadyRateAndDecaysWhenQuiet() {
        DecayingRate r = new DecayingRate(SECOND);
        r.sample(0, 0);
        assertThat(r.perSecond()).isZero();
        long count = 0;
        for (int s = 1; s <= 20; s++) {
            count += 100;
            r.sample(count, s * SECOND);
        }
        assertThat(r.perSecond()).isCloseTo(100.0, within(0.01));
        r.sample(count, 21 * SECOND);
        assertThat(r.perSecond()).isCloseTo(50.0, within(0.01));
        r.sample(count, 21 * SECOND); // no time passed: ignored
        assertThat(r.perSecond()).isCloseTo(50.0, within(0.01));
    }
}
