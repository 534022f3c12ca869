package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import io.nats.client.JetStreamApiException;
import io.tickmux.consumer.internal.Delivery;
import io.tickmux.consumer.internal.EpochFence;
import io.tickmux.consumer.internal.JetStreamLoop;
import io.tickmux.consumer.internal.JetStreamSubscription;
import io.tickmux.consumer.internal.MessageHandler;
import io.tickmux.consumer.internal.StreamPosition;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed a tickmux gateway publishes, read on another host through the same listener API as the
 * in-process manager:
 *
 * <pre>{@code
 * try (TickmuxConsumer c = TickmuxConsumer.builder(JetStreamSource.of("nats://bus:4222", "recorder"))
 *         .tickListener(event -> record(event))
 *         .statusListener(status -> alert(status))          // gaps, state changes, moves
 *         .build()) {
 *     c.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Guarantees: every message the stream holds for the wanted tickers is delivered, in stream
 * order (so per-ticker order is the gateway's), on one thread ({@code tickmux-consumer-<durable>}).
 * A message is acknowledged after the listeners returned; a restart resumes after the last
 * acknowledged message, or after the {@link Checkpoint}'s position when that is later, so nothing
 * is lost and, with a checkpoint stored with the listener's effect, nothing comes twice. A
 * redelivery of a message already handled is dropped. An exception from a listener is counted and
 * logged; the message is still acknowledged (a poison message never blocks the feed).
 *
 * <p>This class is the consumer's life (start, close) and its counters. Its parts, in {@code
 * internal}: {@code JetStreamSubscription} (the connection and the durable consumer), {@code
 * JetStreamLoop} (the delivery thread), {@code MessageHandler} (what becomes of one message),
 * {@code StreamPosition} (the position and the checkpoint), {@code EpochFence} (messages of an
 * older gateway epoch); shared with {@link RedisStreamsConsumer}: {@code Delivery} (the listeners,
 * the wanted tickers, the counters) and {@code DeliveryLoop} (the delivery thread's life).
 */
public final class TickmuxConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);

    private final JetStreamSource source;
    private final Delivery delivery;
    private final StreamPosition position;
    private final EpochFence fence;
    private final MessageHandler handler;
    private volatile boolean running;
    private JetStreamSubscription subscription;
    private JetStreamLoop loop;

    private TickmuxConsumer(Builder b) {
        this.source = b.source;
        this.delivery = new Delivery(b.ticks, b.status, source.tickers());
        this.position = new StreamPosition(source.durable(), b.checkpoint, delivery);
        this.fence = new EpochFence(source.durable());
        this.handler = new MessageHandler(source.durable(), delivery, position, fence);
    }

    /**
     * @param source where to read
     * @return a builder
     */
    public static Builder builder(JetStreamSource source) {
        return new Builder(source);
    }

    /**
     * Connects, creates or updates the durable consumer, and starts delivering.
     *
     * @throws IOException when NATS is not reachable (the message says where and what to do)
     * @throws JetStreamApiException when the stream does not exist
     */
    public synchronized void start()
            throws IOException, JetStreamApiException, InterruptedException {
        if (running) {
            return;
        }
        subscription = JetStreamSubscription.open(source, position);
        position.moveTo(subscription.resumeAfter());
        running = true;
        loop = new JetStreamLoop(source.durable(), subscription, handler, delivery);
        loop.start("tickmux-consumer-" + source.durable());
        LOG.info(
                "consumer {} reading stream {} ({}) from {} after position {}",
                source.durable(),
                source.stream(),
                subscription.filters(),
                source.url(),
                position.get());
    }

    /**
     * @return messages dropped because they came from an older gateway lease epoch than one seen
     *     before (fencing)
     */
    public long staleEpochDropped() {
        return fence.dropped();
    }

    /**
     * @return the newest gateway lease epoch seen; 0 before any (or without a gateway pair)
     */
    public long epoch() {
        return fence.epoch();
    }

    /**
     * The stream position of the message being delivered (inside a listener) or of the last one
     * handled: what an application stores with its own effect for exactly-once.
     *
     * @return the stream sequence; 0 before the first
     */
    public long position() {
        return position.get();
    }

    /**
     * @return events and status events handed to the listeners
     */
    public long delivered() {
        return delivery.delivered();
    }

    /**
     * @return messages dropped as already handled (redeliveries, before the checkpoint)
     */
    public long skipped() {
        return delivery.skipped();
    }

    /**
     * @return unreadable messages, listener exceptions and read failures
     */
    public long errors() {
        return delivery.errors();
    }

    /** Stops delivering and disconnects; the durable consumer keeps its position. Idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Builds a {@link TickmuxConsumer}. */
    public static final class Builder {
        private final JetStreamSource source;
        private TickListener ticks = e -> {};
        private StatusListener status = e -> {};
        private Checkpoint checkpoint = Checkpoint.none();

        private Builder(JetStreamSource source) {
            this.source = requireNonNull(source, "source is null");
        }

        /**
         * @param listener receives market events, on the delivery thread
         * @return this
         */
        public Builder tickListener(TickListener listener) {
            this.ticks = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param listener receives gaps and other status events, on the delivery thread
         * @return this
         */
        public Builder statusListener(StatusListener listener) {
            this.status = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param checkpoint where the consumer resumes after a restart
         * @return this
         */
        public Builder checkpoint(Checkpoint checkpoint) {
            this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
            return this;
        }

        /**
         * @return the consumer, not started
         */
        public TickmuxConsumer build() {
            return new TickmuxConsumer(this);
        }
    }
}
