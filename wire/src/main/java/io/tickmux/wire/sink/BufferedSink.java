package io.tickmux.wire.sink;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Fence;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every bus sink shares: the bounded {@link EventRing} the read threads write into, a
 * bounded queue for status events, one publishing thread ({@code tickmux-sink-<name>}), the {@code
 * tickmux.sink.*} meters, health, and an orderly close. A subclass says how to connect and how to
 * publish one event or status event; the base decides when.
 *
 * <p>Meters, each tagged {@code sink=<name>}: {@code tickmux.sink.published} (acknowledged by the
 * destination), {@code tickmux.sink.dropped{reason=overflow|failed|status-overflow}}, {@code
 * tickmux.sink.buffer.depth}, {@code tickmux.sink.in.flight}, {@code tickmux.sink.publish.latency}
 * (gateway receipt to the destination's acknowledgement), {@code tickmux.sink.errors}.
 */
public abstract class BufferedSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedSink.class);

    /** Status events waiting to be published; they are rare, the bound is generous. */
    private static final int STATUS_CAPACITY = 10_000;

    private final String name;
    protected final SinkContext context;
    protected final EventRing ring;
    private final ArrayBlockingQueue<StatusEvent> status =
            new ArrayBlockingQueue<>(STATUS_CAPACITY);
    private final EventRing.Batch batch;
    private final Duration closeTimeout;
    private final Counter published;
    private final Counter failed;
    private final Counter statusDropped;
    private final Counter errors;
    private final Timer latency;
    private final AtomicLong publishedCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();
    private final Counter fencedDrops;
    private volatile Fence fence = Fence.NONE;
    private volatile long publishedThrough;
    private volatile long idleAt;
    private volatile long statusOfferedAt;
    private boolean fencedLogged;
    private volatile String lastError = "";
    private volatile boolean running;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param name the sink's name (meter tag, thread name)
     * @param context the host's context
     * @param capacity the buffer's bound
     * @param overflow what a full buffer drops
     * @param batchSize the most events one drain hands to {@link #publish}
     * @param closeTimeout the most time {@link #close()} spends publishing what is buffered
     */
    protected BufferedSink(
            String name,
            SinkContext context,
            int capacity,
            SinkOverflow overflow,
            int batchSize,
            Duration closeTimeout) {
        this.name = requireNonNull(name, "name is null");
        this.context = requireNonNull(context, "context is null");
        this.ring = new EventRing(name, capacity, overflow, context.clock());
        this.batch = new EventRing.Batch(batchSize);
        this.closeTimeout = requireNonNull(closeTimeout, "closeTimeout is null");
        MeterRegistry r = context.meterRegistry();
        this.published =
                Counter.builder("tickmux.sink.published")
                        .description("messages the destination acknowledged")
                        .tag("sink", name)
                        .register(r);
        FunctionCounter.builder("tickmux.sink.dropped", ring, EventRing::dropped)
                .description("events lost for good; each is inside a reported gap")
                .tag("sink", name)
                .tag("reason", "overflow")
                .register(r);
        this.failed =
                Counter.builder("tickmux.sink.dropped")
                        .description("events lost for good; each is inside a reported gap")
                        .tag("sink", name)
                        .tag("reason", "failed")
                        .register(r);
        this.fencedDrops =
                Counter.builder("tickmux.sink.dropped")
                        .description(
                                "events and status discarded unpublished because the gateway's"
                                        + " lease was no longer valid (fencing); the successor's"
                                        + " switchover gaps cover them")
                        .tag("sink", name)
                        .tag("reason", "fenced")
                        .register(r);
        this.statusDropped =
                Counter.builder("tickmux.sink.dropped")
                        .description("status events not published: the status queue was full")
                        .tag("sink", name)
                        .tag("reason", "status-overflow")
                        .register(r);
        this.errors =
                Counter.builder("tickmux.sink.errors")
                        .description("publish failures, retried or not")
                        .tag("sink", name)
                        .register(r);
        Gauge.builder("tickmux.sink.buffer.depth", ring, EventRing::size)
                .description("events waiting in the sink's buffer")
                .tag("sink", name)
                .register(r);
        Gauge.builder("tickmux.sink.in.flight", this, s -> s.inFlight())
                .description("messages sent and not yet acknowledged")
                .tag("sink", name)
                .register(r);
        this.latency =
                Timer.builder("tickmux.sink.publish.latency")
                        .description("gateway receipt to the destination's acknowledgement")
                        .tag("sink", name)
                        .publishPercentiles(0.5, 0.99)
                        .register(r);
    }

    // ------------------------------------------------------------ what a subclass provides

    /**
     * Connects and prepares the destination, on the caller's thread.
     *
     * @throws Exception with a message that says what to fix
     */
    protected abstract void open() throws Exception;

    /**
     * Whether events can be published now; while not, they stay in the buffer (and overflow there,
     * as gaps).
     *
     * @return true when connected
     */
    protected abstract boolean connected();

    /**
     * Publishes one market event (asynchronously where the client allows). May wait while the
     * number in flight is at its bound: that is the publishing thread, never a read thread.
     *
     * @param event the event
     * @param connectionId its connection
     * @param receivedNanos gateway receipt, Unix ns
     * @throws InterruptedException when closing
     */
    protected abstract void publish(MarketEvent event, String connectionId, long receivedNanos)
            throws InterruptedException;

    /**
     * Publishes one status event (a gap, a state change, ...).
     *
     * @param event the event
     * @throws InterruptedException when closing
     */
    protected abstract void publishStatus(StatusEvent event) throws InterruptedException;

    /**
     * Called after every drain and while idle or disconnected: settle acknowledgements, resend,
     * flush a pipeline. The default does nothing.
     *
     * @throws InterruptedException when closing
     */
    protected void settle() throws InterruptedException {}

    /**
     * Called once the thread has stopped: wait (at most until {@code deadlineNanos}, a {@link
     * System#nanoTime()} value) for what is in flight, then release the connection.
     *
     * @param deadlineNanos when to give up
     */
    protected abstract void shutdown(long deadlineNanos);

    /**
     * @return messages sent and not yet acknowledged
     */
    protected abstract int inFlight();

    /**
     * @return where the sink publishes, for health and logs, never with credentials
     */
    protected abstract String destination();

    // ------------------------------------------------------------ for a subclass to call

    /**
     * Counts acknowledged messages and records the latency of one of them.
     *
     * @param receivedNanos gateway receipt of the event, Unix ns; 0 for a status message
     */
    protected final void acknowledged(long receivedNanos) {
        published.increment();
        publishedCount.incrementAndGet();
        if (receivedNanos > 0) {
            publishedThrough = receivedNanos;
            long d = nowNanos() - receivedNanos;
            if (d >= 0) {
                latency.record(d, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Counts a failure that will be retried or given up, and remembers it for health.
     *
     * @param what what failed, for health and the log; never a secret
     */
    protected final void error(String what) {
        errors.increment();
        lastError = what;
    }

    /**
     * An event is lost for good (publishing failed past its retries): counted, reported to the host
     * and published as a gap for its ticker.
     *
     * @param event the event
     * @param connectionId its connection
     * @param reason why, for the gap's cause
     */
    protected final void lost(MarketEvent event, String connectionId, String reason) {
        failed.increment();
        failedCount.incrementAndGet();
        Instant t = Instant.ofEpochMilli(event.timestampMillis());
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        event.symbol(),
                        connectionId,
                        t,
                        t,
                        "sink " + name + ": 1 event not published (" + reason + ")",
                        context.clock().instant());
        context.reportGap(gap);
        if (!status.offer(gap)) {
            statusDropped.increment();
        } else {
            statusOfferedAt = nowNanos();
        }
    }

    /**
     * @return now, Unix ns (microsecond resolution on Linux)
     */
    protected static long nowNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * @return the lease epoch to stamp messages with; 0 when the sink is not fenced
     */
    protected final long epoch() {
        return fence.epoch();
    }

    /**
     * Whether the sink's fence forbids publishing now (the gateway's lease is no longer valid by
     * its own deadline). A subclass checks it before it sends anything, resends included.
     *
     * @return true when nothing may be published
     */
    protected final boolean fenced() {
        return !fence.valid();
    }

    /**
     * Called on the publishing thread once the fence forbids publishing: drop whatever is sent and
     * unacknowledged, without resending it. The default does nothing.
     *
     * @return how many messages were dropped
     */
    protected int discardUnacknowledged() {
        return 0;
    }

    /**
     * @return whether {@link #close()} has begun
     */
    protected final boolean closing() {
        return closed;
    }

    // ------------------------------------------------------------ Sink

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void start() throws Exception {
        if (running || closed) {
            return;
        }
        open();
        publishedThrough = nowNanos();
        idleAt = publishedThrough;
        running = true;
        thread = new Thread(this::loop, "tickmux-sink-" + name);
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "sink {} publishing to {} (buffer {} events, overflow {})",
                name,
                destination(),
                ring.capacity(),
                "see tickmux.sink." + name + ".buffer");
    }

    @Override
    public final void fence(Fence fence) {
        this.fence = requireNonNull(fence, "fence is null");
    }

    /**
     * Every event received, and every status event handed over, before the returned time was
     * acknowledged by the destination. Two marks, both kept in the publishing thread's order: the
     * last moment it found nothing buffered, queued or in flight; and the receipt time of the last
     * acknowledged event, which counts only while no status event was handed over since that moment
     * (a status event is published outside the events' order).
     */
    @Override
    public final long publishedThroughNanos() {
        long idle = idleAt;
        return statusOfferedAt > idle ? idle : Math.max(publishedThrough, idle);
    }

    @Override
    public final void onEvents(String connectionId, List<MarketEvent> events) {
        if (!fence.valid()) {
            fencedDrops.increment(events.size());
            return;
        }
        ring.offer(connectionId, events, nowNanos());
    }

    @Override
    public final void onStatus(StatusEvent event) {
        if (closed) {
            return;
        }
        if (status.offer(event)) {
            statusOfferedAt = nowNanos(); // after the offer: see publishedThroughNanos
            ring.wakeUp();
        } else {
            statusDropped.increment();
        }
    }

    private void loop() {
        try {
            while (running || (!status.isEmpty() || ring.size() > 0) && connected() && !fenced()) {
                if (fenced()) {
                    discardFenced();
                    waitForConnection();
                    continue;
                }
                settle();
                if (!connected()) {
                    ring.drainTo(EMPTY, 0); // reports quiet tickers' spans when there is room
                    waitForConnection();
                    continue;
                }
                StatusEvent s;
                while ((s = status.poll()) != null) {
                    publishStatus(s);
                }
                int n = ring.drainTo(batch, inFlight() > 0 ? 1_000_000L : 100_000_000L);
                for (int i = 0; i < n; i++) {
                    Object o = batch.item(i);
                    if (o instanceof MarketEvent e) {
                        publish(e, batch.connectionId(i), batch.receivedNanos(i));
                    } else {
                        StatusEvent.Gap g = (StatusEvent.Gap) o;
                        context.reportGap(g);
                        publishStatus(g);
                    }
                }
                batch.clear();
                if (n == 0) {
                    // Taken before the checks: whatever was handed over before it is either still
                    // here (not idle) or acknowledged.
                    long t = nowNanos();
                    settle();
                    if (status.isEmpty() && ring.size() == 0 && inFlight() == 0) {
                        idleAt = t;
                    }
                }
                if (!running && n == 0 && status.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(e.toString());
            LOG.error(
                    "sink {}: the publishing thread failed; events are no longer published",
                    name,
                    e);
        }
    }

    private static final EventRing.Batch EMPTY = new EventRing.Batch(0);

    /** Drops everything held: it was received under a lease that is no longer valid. */
    private void discardFenced() throws InterruptedException {
        int n = discardUnacknowledged();
        StatusEvent s;
        while ((s = status.poll()) != null) {
            n++;
        }
        int k;
        while ((k = ring.drainTo(batch, 0)) > 0) {
            n += k;
            batch.clear();
        }
        if (n > 0) {
            fencedDrops.increment(n);
        }
        if (!fencedLogged) {
            fencedLogged = true;
            LOG.warn(
                    "sink {}: the gateway's lease (epoch {}) is no longer valid: {} messages"
                            + " discarded unpublished, nothing more is published (the next"
                            + " holder's switchover gaps cover them)",
                    name,
                    fence.epoch(),
                    n);
        } else if (n > 0) {
            LOG.debug("sink {}: {} more messages discarded under an invalid lease", name, n);
        }
    }

    /**
     * Waits a little for the connection to come back. The default waits up to 100 ms on the buffer;
     * a subclass with a connection listener may wait on that instead.
     *
     * @throws InterruptedException when closing
     */
    protected void waitForConnection() throws InterruptedException {
        synchronized (this) {
            wait(100);
        }
    }

    @Override
    public final SinkHealth health() {
        SinkHealth.State state;
        String detail;
        if (!running || closed) {
            state = SinkHealth.State.DOWN;
            detail = closed ? "closed" : "not started";
        } else if (!connected()) {
            state = SinkHealth.State.DEGRADED;
            detail =
                    "not connected to "
                            + destination()
                            + ": buffering ("
                            + ring.size()
                            + " of "
                            + ring.capacity()
                            + "); "
                            + lastError;
        } else {
            state = SinkHealth.State.UP;
            detail = lastError.isEmpty() ? "" : "last error: " + lastError;
        }
        return new SinkHealth(
                name,
                state,
                detail,
                publishedCount.get(),
                ring.dropped() + failedCount.get(),
                ring.size(),
                ring.capacity(),
                inFlight());
    }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        running = false;
        ring.wakeUp();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Math.max(1, closeTimeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        List<StatusEvent.Gap> unreported = ring.close();
        shutdown(deadline);
        int left = ring.size();
        if (left > 0 || !unreported.isEmpty()) {
            LOG.warn(
                    "sink {} closed with {} buffered events unpublished and {} tickers' drops"
                            + " unreported on the bus",
                    name,
                    left,
                    unreported.size());
        }
    }
}
