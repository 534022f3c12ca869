package io.tickmux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    @Test
    void logsOncePerInterval() {
        Clock[] clock = {Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC)};
        Clock moving =
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return clock[0].instant();
                    }
                };
        RateLimitedLog log =
                new RateLimitedLog(LoggerFactory.getLogger("test"), moving, Duration.ofSeconds(10));
        assertThat(log.warn("first {}", null, 1)).isTrue();
        assertThat(log.warn("second {}", null, 2)).isFalse();
        assertThat(log.warn("third {}", null, 3)).isFalse();
        clock[0] = Clock.fixed(Instant.ofEpochMilli(11_000), ZoneOffset.UTC);
        assertThat(log.warn("fourth {}", new RuntimeException("x"), 4)).isTrue();
    }

    @Test
    void zeroIntervalLogsEveryTime() {
        RateLimitedLog log =
                new RateLimitedLog(
                        LoggerFactory.getLogger("test"),
                        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                        Duration.ZERO);
        assertThat(log.warn("a", null)).isTrue();
        assertThat(log.warn("b", null)).isTrue();
    }
}
