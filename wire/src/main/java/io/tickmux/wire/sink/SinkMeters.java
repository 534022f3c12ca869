package io.tickmux.wire.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * A sink's {@code tickmux.sink.*} meters, each tagged {@code sink=<name>}, and the two counts its
 * health shows (acknowledged, and lost after publishing failed). The buffer's depth and overflow
 * drops are read from the {@link EventRing}, the messages in flight from the sink; Micrometer holds
 * both weakly, as it holds every gauge's object. Thread-safe.
 */
final class SinkMeters {

    private static final String DROPPED = "tickmux.sink.dropped";
    private static final String DROPPED_DESCRIPTION =
            "events lost for good; each is inside a reported gap";

    private final Counter published;
    private final Counter failed;
    private final Counter fenced;
    private final Counter statusDropped;
    private final Counter errors;
    private final Timer latency;
    private final AtomicLong publishedCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();

    /**
     * Registers the meters.
     *
     * @param name the sink's name, the {@code sink} tag
     * @param registry where
     * @param ring the sink's buffer (depth, overflow drops)
     * @param sink what knows the messages in flight: the sink
     * @param inFlight reads them
     * @param <S> the sink's type
     */
    <S> SinkMeters(
            String name,
            MeterRegistry registry,
            EventRing ring,
            S sink,
            ToIntFunction<S> inFlight) {
        this.published =
                Counter.builder("tickmux.sink.published")
                        .description("messages the destination acknowledged")
                        .tag("sink", name)
                        .register(registry);
        FunctionCounter.builder(DROPPED, ring, EventRing::dropped)
                .description(DROPPED_DESCRIPTION)
                .tag("sink", name)
                .tag("reason", "overflow")
                .register(registry);
        this.failed =
                Counter.builder(DROPPED)
                        .description(DROPPED_DESCRIPTION)
                        .tag("sink", name)
                        .tag("reason", "failed")
                        .register(registry);
        this.fenced =
                Counter.builder(DROPPED)
                        .description(
                                "events and status discarded unpublished because the gateway's"
                                        + " lease was no longer valid (fencing); the successor's"
                                        + " switchover gaps cover them")
                        .tag("sink", name)
                        .tag("reason", "fenced")
                        .register(registry);
        this.statusDropped =
                Counter.builder(DROPPED)
                        .description("status events not published: the status queue was full")
                        .tag("sink", name)
                        .tag("reason", "status-overflow")
                        .register(registry);
        this.errors =
                Counter.builder("tickmux.sink.errors")
                        .description("publish failures, retried or not")
                        .tag("sink", name)
                        .register(registry);
        Gauge.builder("tickmux.sink.buffer.depth", ring, EventRing::size)
                .description("events waiting in the sink's buffer")
                .tag("sink", name)
                .register(registry);
        Gauge.builder("tickmux.sink.in.flight", sink, s -> inFlight.applyAsInt(s))
                .description("messages sent and not yet acknowledged")
                .tag("sink", name)
                .register(registry);
        this.latency =
                Timer.builder("tickmux.sink.publish.latency")
                        .description("gateway receipt to the destination's acknowledgement")
                        .tag("sink", name)
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
    }

    /** Counts a message the destination acknowledged. */
    void acknowledged() {
        published.increment();
        publishedCount.incrementAndGet();
    }

    /**
     * Records the latency of an acknowledged event; a negative one (the clock went back) is not.
     *
     * @param nanos gateway receipt to the acknowledgement
     */
    void latency(long nanos) {
        if (nanos >= 0) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts an event lost for good: publishing it failed past its retries. */
    void lost() {
        failed.increment();
        failedCount.incrementAndGet();
    }

    /**
     * Counts messages discarded under an invalid lease.
     *
     * @param n how many
     */
    void fenced(long n) {
        fenced.increment(n);
    }

    /** Counts a status event the full status queue refused. */
    void statusDropped() {
        statusDropped.increment();
    }

    /** Counts a publish failure, retried or not. */
    void error() {
        errors.increment();
    }

    /**
     * @return messages acknowledged since the start
     */
    long published() {
        return publishedCount.get();
    }

    /**
     * @return events lost after publishing failed, since the start
     */
    long failed() {
        return failedCount.get();
    }
}
