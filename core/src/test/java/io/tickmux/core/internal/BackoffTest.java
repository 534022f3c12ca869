package io.tickmux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, () -> 0.9);
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(1_000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsAroundTheBase() {
        assertThat(
                        new Backoff(
                                        Duration.ofMillis(100),
                                        Duration.ofSeconds(1),
                                        2,
                                        0.5,
                                        () -> 0.0)
                                .delay(0))
                .isEqualTo(Duration.ofMillis(50));
        assertThat(
                        new Backoff(
                                        Duration.ofMillis(100),
                                        Duration.ofSeconds(1),
                                        2,
                                        0.5,
                                        () -> 0.5)
                                .delay(0))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(
                        new Backoff(
                                        Duration.ofMillis(100),
                                        Duration.ofSeconds(1),
                                        2,
                                        0.5,
                                        () -> 0.999999)
                                .delay(0))
                .isBetween(Duration.ofMillis(149), Duration.ofMillis(150));
    }
}
