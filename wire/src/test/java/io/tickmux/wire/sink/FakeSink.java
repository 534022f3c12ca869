package io.tickmux.wire.sink;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A sink that publishes into queues and acknowledges at once, connected when a test says so; what
 * the tests of the shared sink run it with.
 */
final class FakeSink extends BufferedSink {

    final BlockingQueue<Object> published = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> shutdowns = new LinkedBlockingQueue<>();
    volatile boolean connected;
    volatile int inFlight;
    volatile int unacknowledged;
    volatile String failWith;

    FakeSink(SinkContext context, int capacity, SinkOverflow overflow) {
        super("fake", context, capacity, overflow, 16, Duration.ofSeconds(5));
    }

    /** Nothing to connect to: {@link #connected} is what a test sets. */
    @Override
    protected void open() {}

    @Override
    protected boolean connected() {
        return connected;
    }

    @Override
    protected void publish(MarketEvent event, String connectionId, long receivedNanos) {
        if (failWith != null) {
            lost(event, connectionId, failWith);
            return;
        }
        published.add(event);
        acknowledged(receivedNanos);
    }

    @Override
    protected void publishStatus(StatusEvent event) {
        published.add(event);
        acknowledged(0);
    }

    @Override
    protected int discardUnacknowledged() {
        int n = unacknowledged;
        unacknowledged = 0;
        return n;
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        shutdowns.add(deadlineNanos);
    }

    @Override
    protected int inFlight() {
        return inFlight;
    }

    @Override
    protected String destination() {
        return "fake://bus";
    }

    /** Lets a test record a failure as the subclass would. */
    void fail(String what) {
        error(what);
    }
}
