package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded status events: what a full queue does, and the mark each accepted one moves. */
class StatusQueueTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SinkMeters meters =
            new SinkMeters(
                    "s",
                    registry,
                    new EventRing("s", 2, SinkOverflow.DROP_NEWEST, Clock.systemUTC()),
                    new AtomicInteger(),
                    AtomicInteger::get);
    private final PublishedThrough marks = new PublishedThrough();
    private final AtomicLong now = new AtomicLong(100);
    private final StatusQueue queue = new StatusQueue(2, marks, meters, now::get);

    private static StatusEvent.Gap gap(String symbol) {
        Instant t = Instant.ofEpochMilli(1);
        return new StatusEvent.Gap(symbol, "c1", t, t, "test", t);
    }

    private double statusDropped() {
        return registry.get("tickmux.sink.dropped")
                .tags("sink", "s", "reason", "status-overflow")
                .counter()
                .count();
    }

    @Test
    void aFullQueueRefusesAndCountsAndEventsComeOutInOrder() {
        assertThat(queue.offer(gap("A"))).isTrue();
        assertThat(queue.offer(gap("B"))).isTrue();
        assertThat(queue.offer(gap("C"))).isFalse();
        assertThat(statusDropped()).isEqualTo(1);
        assertThat(queue.poll()).isEqualTo(gap("A"));
        assertThat(queue.poll()).isEqualTo(gap("B"));
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void anAcceptedEventHoldsPublishedThroughARefusedOneDoesNot() {
        marks.start(50);
        marks.acknowledged(90);
        queue.offer(gap("A"));
        queue.offer(gap("B"));
        assertThat(marks.nanos()).isEqualTo(50);
        marks.idle(120);
        now.set(130);
        queue.offer(gap("C")); // refused: the queue is full
        marks.acknowledged(125);
        assertThat(marks.nanos()).isEqualTo(125);
    }

    @Test
    void discardEmptiesTheQueueAndSaysHowMany() {
        queue.offer(gap("A"));
        queue.offer(gap("B"));
        assertThat(queue.discard()).isEqualTo(2);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.discard()).isZero();
    }
}
