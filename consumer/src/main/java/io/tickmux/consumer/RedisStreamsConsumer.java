package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisException;
import io.tickmux.consumer.internal.Delivery;
import io.tickmux.consumer.internal.EntryHandler;
import io.tickmux.consumer.internal.GroupStreams;
import io.tickmux.consumer.internal.RedisGroupSession;
import io.tickmux.consumer.internal.RedisStreamsLoop;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed a tickmux gateway writes to Redis Streams ({@code tickmux.sink.redis}), read on another
 * host through the same listener API as the in-process manager, with a consumer group:
 *
 * <pre>{@code
 * try (RedisStreamsConsumer c = RedisStreamsConsumer.builder(
 *                 RedisStreamSource.of("redis://bus:6379", "recorder").tickers(List.of("AAPL")))
 *         .tickListener(event -> record(event))
 *         .statusListener(status -> alert(status))          // gaps, state changes, moves
 *         .build()) {
 *     c.start();
 * }
 * }</pre>
 *
 * <p>Guarantees: every entry of the streams read is delivered, each stream in its order (with the
 * sink's {@code per = ticker}, one stream per ticker: the gateway's per-ticker order, the ticker's
 * gaps in place), on one thread ({@code tickmux-consumer-redis-<group>}). An entry is acknowledged
 * ({@code XACK}) after the listeners returned. A restart of the consumer first delivers what the
 * group had delivered to it and not acknowledged (its pending entries, {@code XREADGROUP ... 0}),
 * then resumes after the group's last delivered entry: nothing is lost; an entry handled but not
 * acknowledged when the process died comes again (at-least-once). Entries trimmed away before they
 * were read are gone. An exception from a listener is counted and logged; the entry is still
 * acknowledged.
 *
 * <p>This class is the consumer's life (start, close) and its counters. Its parts, in {@code
 * internal}: {@code RedisGroupSession} (the connection and the group's commands), {@code
 * GroupStreams} (the streams read, the group on each), {@code RedisStreamsLoop} (the delivery
 * thread), {@code EntryHandler} and {@code EntryOrder} (what becomes of one entry; the last one
 * handled per stream); shared with {@link TickmuxConsumer}: {@code Delivery} (the listeners, the
 * wanted tickers, the counters) and {@code DeliveryLoop} (the delivery thread's life).
 */
public final class RedisStreamsConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private final RedisStreamSource source;
    private final Delivery delivery;
    private final GroupStreams streams;
    private final EntryHandler handler;
    private volatile boolean running;
    private RedisGroupSession session;
    private RedisStreamsLoop loop;

    private RedisStreamsConsumer(Builder b) {
        this.source = b.source;
        this.delivery = new Delivery(b.ticks, b.status, source.tickers());
        this.streams = new GroupStreams(source);
        this.handler = new EntryHandler(source.group(), delivery);
    }

    /**
     * @param source where to read
     * @return a builder
     */
    public static Builder builder(RedisStreamSource source) {
        return new Builder(source);
    }

    /**
     * Connects, makes the group on every stream (where it is missing) and starts delivering.
     *
     * @throws RedisException when Redis is not reachable (the message says where and what to do)
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        session = RedisGroupSession.open(source);
        streams.discover(session);
        running = true;
        loop = new RedisStreamsLoop(source.group(), session, streams, handler, delivery);
        loop.start("tickmux-consumer-redis-" + source.group());
        LOG.info(
                "consumer {} (group {}) reading {} streams under {} at {}:{}",
                source.consumer(),
                source.group(),
                streams.size(),
                source.keyPrefix(),
                session.host(),
                session.port());
    }

    /**
     * @return the streams read
     */
    public synchronized List<String> streams() {
        return streams.list();
    }

    /**
     * @return events and status events handed to the listeners
     */
    public long delivered() {
        return delivery.delivered();
    }

    /**
     * @return entries dropped as already handled or empty
     */
    public long skipped() {
        return delivery.skipped();
    }

    /**
     * @return unreadable entries, listener exceptions and read failures
     */
    public long errors() {
        return delivery.errors();
    }

    /** Stops delivering and disconnects; the group keeps its position. Idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (loop != null) {
            loop.stop(source.block().plusSeconds(5));
        }
        if (session != null) {
            session.close();
        }
    }

    /** Builds a {@link RedisStreamsConsumer}. */
    public static final class Builder {
        private final RedisStreamSource source;
        private TickListener ticks = e -> {};
        private StatusListener status = e -> {};

        private Builder(RedisStreamSource source) {
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
         * @return the consumer, not started
         */
        public RedisStreamsConsumer build() {
            return new RedisStreamsConsumer(this);
        }
    }
}
