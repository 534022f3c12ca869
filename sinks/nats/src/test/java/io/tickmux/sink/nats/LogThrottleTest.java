package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    private long now = 5 * SECOND;

    @Test
    void logsTheFirstAndThenAtMostOncePerIntervalSayingHowManyWereFolded() {
        LogThrottle t = new LogThrottle(10 * SECOND, () -> now);
        List<Long> got = new ArrayList<>();
        got.add(t.admit());
        now += SECOND;
        got.add(t.admit());
        now += 8 * SECOND;
        got.add(t.admit());
        now += SECOND; // 10 s after the first line
        got.add(t.admit());
        now += SECOND;
        got.add(t.admit());
        now += 30 * SECOND;
        got.add(t.admit());
        assertThat(got).containsExactly(0L, -1L, -1L, 2L, -1L, 1L);
    }

    @Test
    void everyClientErrorIsCountedLoggedOrNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientErrors errors = new ClientErrors(registry, () -> now);
        errors.errorOccurred(null, "Authorization Violation");
        errors.exceptionOccurred(null, new IllegalStateException("x"));
        errors.slowConsumerDetected(null, null);
        assertThat(registry.get("tickmux.sink.nats.client.errors").counter().count())
                .isEqualTo(3.0);
    }
}
