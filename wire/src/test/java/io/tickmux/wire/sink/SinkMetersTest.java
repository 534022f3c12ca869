package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sink's meters: names, tags, what each counts. */
class SinkMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final EventRing ring =
            new EventRing("s", 2, SinkOverflow.DROP_NEWEST, Clock.systemUTC());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SinkMeters meters =
            new SinkMeters("s", registry, ring, inFlight, AtomicInteger::get);

    private double dropped(String reason) {
        return registry.get("tickmux.sink.dropped")
                .tags("sink", "s", "reason", reason)
                .meter()
                .measure()
                .iterator()
                .next()
                .getValue();
    }

    private static Trade t(long seq) {
        return new Trade("A", 1, "A" + seq, 3, 1.0, 1, null, null, 1_000 + seq, -1, seq, -1, -1);
    }

    @Test
    void eachLossIsCountedUnderItsReason() {
        ring.offer("c1", List.of(t(1), t(2), t(3)), 5);
        meters.lost();
        meters.fenced(4);
        meters.statusDropped();
        meters.statusDropped();
        assertThat(dropped("overflow")).isEqualTo(1);
        assertThat(dropped("failed")).isEqualTo(1);
        assertThat(dropped("fenced")).isEqualTo(4);
        assertThat(dropped("status-overflow")).isEqualTo(2);
        assertThat(meters.failed()).isEqualTo(1);
    }

    @Test
    void acknowledgementsAndErrorsAreCountedAndOnlyANonNegativeLatencyIsRecorded() {
        meters.acknowledged();
        meters.acknowledged();
        meters.latency(2_000_000);
        meters.latency(-1);
        meters.error();
        assertThat(registry.get("tickmux.sink.published").tag("sink", "s").counter().count())
                .isEqualTo(2);
        assertThat(meters.published()).isEqualTo(2);
        Timer latency = registry.get("tickmux.sink.publish.latency").tag("sink", "s").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
        assertThat(registry.get("tickmux.sink.errors").tag("sink", "s").counter().count())
                .isEqualTo(1);
    }

    @Test
    void theGaugesReadTheBufferAndTheSink() {
        ring.offer("c1", List.of(t(1)), 5);
        inFlight.set(7);
        assertThat(registry.get("tickmux.sink.buffer.depth").tag("sink", "s").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("tickmux.sink.in.flight").tag("sink", "s").gauge().value())
                .isEqualTo(7);
    }
}
