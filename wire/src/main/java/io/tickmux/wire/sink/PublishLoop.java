package io.tickmux.wire.sink;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink's publishing thread, {@code tickmux-sink-<name>}, and its life: status events first, then
 * what the buffer holds (its gaps reported to the host too), the subclass's settling after every
 * drain, the idle mark when nothing is held; waits while disconnected; discards everything once the
 * lease is no longer valid. Once stopped it still publishes what is held while it can. Logs under
 * {@link BufferedSink}'s category.
 */
final class PublishLoop {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedSink.class);

    /** What a disconnected drain fills: nothing (it only reports quiet tickers' spans). */
    private static final EventRing.Batch EMPTY = new EventRing.Batch(0);

    private final String name;
    private final BufferedSink sink;
    private final SinkContext context;
    private final EventRing ring;
    private final StatusQueue status;
    private final EventRing.Batch batch;
    private final PublishedThrough marks;
    private final SinkMeters meters;
    private volatile boolean running;
    private boolean fencedLogged;
    private Thread thread;

    /**
     * @param name the sink's name
     * @param sink what publishes, settles and waits
     * @param context where gaps are reported
     * @param ring the buffer
     * @param batch what one drain fills, its size the most events one drain hands to the sink
     * @param status the status queue
     * @param marks the published-through marks
     * @param meters counts fenced drops
     */
    PublishLoop(
            String name,
            BufferedSink sink,
            SinkContext context,
            EventRing ring,
            EventRing.Batch batch,
            StatusQueue status,
            PublishedThrough marks,
            SinkMeters meters) {
        this.name = name;
        this.sink = sink;
        this.context = context;
        this.ring = ring;
        this.status = status;
        this.batch = batch;
        this.marks = marks;
        this.meters = meters;
    }

    /** Starts the thread. */
    void start() {
        running = true;
        thread = new Thread(this::loop, "tickmux-sink-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @return whether the thread was started and not stopped
     */
    boolean running() {
        return running;
    }

    /**
     * Stops the thread: it publishes what is held while it is connected and not fenced, for at most
     * {@code timeout}, then it is interrupted.
     *
     * @param timeout the most time to wait for it
     */
    void stop(Duration timeout) {
        running = false;
        ring.wakeUp();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (running
                    || (!status.isEmpty() || ring.size() > 0)
                            && sink.connected()
                            && !sink.fenced()) {
                if (sink.fenced()) {
                    discardFenced();
                    sink.waitForConnection();
                    continue;
                }
                sink.settle();
                if (!sink.connected()) {
                    ring.drainTo(EMPTY, 0); // reports quiet tickers' spans when there is room
                    sink.waitForConnection();
                    continue;
                }
                StatusEvent s;
                while ((s = status.poll()) != null) {
                    sink.publishStatus(s);
                }
                int n = ring.drainTo(batch, sink.inFlight() > 0 ? 1_000_000L : 100_000_000L);
                for (int i = 0; i < n; i++) {
                    Object o = batch.item(i);
                    if (o instanceof MarketEvent e) {
                        sink.publish(e, batch.connectionId(i), batch.receivedNanos(i));
                    } else {
                        StatusEvent.Gap g = (StatusEvent.Gap) o;
                        context.reportGap(g);
                        sink.publishStatus(g);
                    }
                }
                batch.clear();
                if (n == 0) {
                    // Taken before the checks: whatever was handed over before it is either still
                    // here (not idle) or acknowledged.
                    long t = BufferedSink.nowNanos();
                    sink.settle();
                    if (status.isEmpty() && ring.size() == 0 && sink.inFlight() == 0) {
                        marks.idle(t);
                    }
                }
                if (!running && n == 0 && status.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            sink.error(e.toString());
            LOG.error(
                    "sink {}: the publishing thread failed; events are no longer published",
                    name,
                    e);
        }
    }

    /** Drops everything held: it was received under a lease that is no longer valid. */
    private void discardFenced() throws InterruptedException {
        int n = sink.discardUnacknowledged();
        n += status.discard();
        int k;
        while ((k = ring.drainTo(batch, 0)) > 0) {
            n += k;
            batch.clear();
        }
        if (n > 0) {
            meters.fenced(n);
        }
        if (!fencedLogged) {
            fencedLogged = true;
            LOG.warn(
                    "sink {}: the gateway's lease (epoch {}) is no longer valid: {} messages"
                            + " discarded unpublished, nothing more is published (the next"
                            + " holder's switchover gaps cover them)",
                    name,
                    sink.epoch(),
                    n);
        } else if (n > 0) {
            LOG.debug("sink {}: {} more messages discarded under an invalid lease", name, n);
        }
    }
}
