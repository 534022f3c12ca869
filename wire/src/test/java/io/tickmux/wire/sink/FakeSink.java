package io.tickmux.wire.sink;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
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
    volatile RuntimeException throwOnPublish;
    volatile CountDownLatch publishWaitsFor;

    FakeSink(SinkContext context, int capacity, SinkOverflow overflow) {
        this("fake", context, capacity, overflow, Duration.ofSeconds(5));
    }

    FakeSink(
            String name,
            SinkContext context,
            int capacity,
            SinkOverflow overflow,
            Duration closeTimeout) {
        super(name, context, capacity, overflow, 16, closeTimeout);
    }

    /** Nothing to connect to: {@link #connected} is what a test sets. */
    @Override
    protected void open() {}

    @Override
    protected boolean connected() {
        return connected;
    }

    @Override
    protected void publish(MarketEvent event, String connectionId, long receivedNanos)
            throws InterruptedException {
        CountDownLatch wait = publishWaitsFor;
        if (wait != null) {
            wait.await();
        }
        if (throwOnPublish != null) {
            throw throwOnPublish;
        }
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
