package io.tickmux.wire.sink;

import static java.util.Objects.requireNonNull;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every bus sink shares: the bounded {@link EventRing} the read threads write into, a
 * bounded queue for status events, one publishing thread ({@code tickmux-sink-<name>}), the {@code
 * tickmux.sink.*} meters, health, and an orderly close. A subclass says how to connect and how to
 * publish one event or status event; the base decides when.
 *
 * <p>Meters, each tagged {@code sink=<name>}: {@code tickmux.sink.published} (acknowledged by the
 * destination), {@code tickmux.sink.dropped{reason=overflow|failed|fenced|status-overflow}}, {@code
 * tickmux.sink.buffer.depth}, {@code tickmux.sink.in.flight}, {@code tickmux.sink.publish.latency}
 * (gateway receipt to the destination's acknowledgement), {@code tickmux.sink.errors}.
 *
 * <p>This class is the face a subclass and the host see: what a subclass provides and may call, and
 * the {@link Sink} calls. Its package-private parts: {@code PublishLoop} (the publishing thread),
 * {@code StatusQueue} (the bounded status events), {@code PublishedThrough} (what {@link
 * #publishedThroughNanos()} answers) and {@code SinkMeters} (the meters and the counts health
 * shows).
 */
public abstract class BufferedSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(BufferedSink.class);

    private final String name;
    protected final SinkContext context;
    protected final EventRing ring;
    private final Duration closeTimeout;
    private final SinkMeters meters;
    private final PublishedThrough marks = new PublishedThrough();
    private final StatusQueue status;
    private final PublishLoop loop;
    private volatile Fence fence = Fence.NONE;
    private volatile String lastError = "";
    private volatile boolean closed;

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
        EventRing.Batch batch = new EventRing.Batch(batchSize);
        this.closeTimeout = requireNonNull(closeTimeout, "closeTimeout is null");
        this.meters =
                new SinkMeters(name, context.meterRegistry(), ring, this, BufferedSink::inFlight);
        this.status = new StatusQueue(StatusQueue.CAPACITY, marks, meters, BufferedSink::nowNanos);
        this.loop = new PublishLoop(name, this, context, ring, batch, status, marks, meters);
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
        meters.acknowledged();
        if (receivedNanos > 0) {
            marks.acknowledged(receivedNanos);
            meters.latency(nowNanos() - receivedNanos);
        }
    }

    /**
     * Counts a failure that will be retried or given up, and remembers it for health.
     *
     * @param what what failed, for health and the log; never a secret
     */
    protected final void error(String what) {
        meters.error();
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
        meters.lost();
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
        status.offer(gap);
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
        if (loop.running() || closed) {
            return;
        }
        open();
        marks.start(nowNanos());
        loop.start();
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
        return marks.nanos();
    }

    @Override
    public final void onEvents(String connectionId, List<MarketEvent> events) {
        if (!fence.valid()) {
            meters.fenced(events.size());
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
            ring.wakeUp();
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
        if (!loop.running() || closed) {
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
                meters.published(),
                ring.dropped() + meters.failed(),
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
        loop.stop(closeTimeout);
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
