package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.Consumer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class RedisStreamsConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private final RedisStreamSource source;
    private final TickListener ticks;
    private final StatusListener status;
    private final WireReader reader = new WireReader();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Set<String> wanted;
    private final Set<String> streams = new LinkedHashSet<>();
    private final Map<String, String> lastHandled = new HashMap<>();
    private final Consumer<String> me;
    private volatile boolean running;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private long lastScan;
    private Thread thread;

    private RedisStreamsConsumer(Builder b) {
        this.source = b.source;
        this.ticks = b.ticks;
        this.status = b.status;
        this.wanted = new HashSet<>(source.tickers());
        this.me = Consumer.from(source.group(), source.consumer());
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
        RedisURI uri = RedisURI.create(source.url());
        uri.setClientName("tickmux-consumer-" + source.group());
        // A read blocks up to source.block(); the answer may take a while after that.
        uri.setTimeout(source.block().plusSeconds(10));
        client = RedisClient.create();
        try {
            connection = client.connect(uri);
        } catch (RedisException e) {
            client.shutdown();
            throw new RedisException(
                    "consumer: cannot reach Redis at "
                            + uri.getHost()
                            + ":"
                            + uri.getPort()
                            + " ("
                            + e.getMessage()
                            + "): is the gateway's Redis running there?",
                    e);
        }
        redis = connection.sync();
        discover();
        running = true;
        thread = new Thread(this::loop, "tickmux-consumer-redis-" + source.group());
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "consumer {} (group {}) reading {} streams under {} at {}:{}",
                source.consumer(),
                source.group(),
                streams.size(),
                source.keyPrefix(),
                uri.getHost(),
                uri.getPort());
    }

    /** Finds the streams to read and makes the group on the new ones. */
    private void discover() {
        lastScan = System.nanoTime();
        Set<String> keys = new LinkedHashSet<>();
        if (source.tickers().isEmpty()) {
            for (String pattern :
                    List.of(source.keyPrefix() + ":ticker:*", source.keyPrefix() + ":channel:*")) {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<String> c =
                            redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                    keys.addAll(c.getKeys());
                    cursor = c;
                } while (!cursor.isFinished());
            }
        } else {
            for (String t : source.tickers()) {
                keys.add(source.keyPrefix() + ":ticker:" + WireFormat.token(t));
            }
        }
        keys.add(source.keyPrefix() + ":status");
        for (String k : keys) {
            if (!streams.contains(k)) {
                ensureGroup(k);
                streams.add(k);
            }
        }
    }

    private void ensureGroup(String key) {
        try {
            redis.xgroupCreate(
                    XReadArgs.StreamOffset.from(key, source.fromStart() ? "0" : "$"),
                    source.group(),
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void loop() {
        boolean pendingDone = false;
        while (running) {
            try {
                if (!pendingDone) {
                    for (String k : new ArrayList<>(streams)) {
                        drainPending(k);
                    }
                    pendingDone = true;
                }
                if (source.tickers().isEmpty()
                        && System.nanoTime() - lastScan > source.rescan().toNanos()) {
                    discover();
                }
                readNew();
            } catch (RedisCommandExecutionException e) {
                errors.incrementAndGet();
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    // Redis lost the group (a restart without persistence): made again.
                    LOG.warn(
                            "consumer {}: {}; making the group again",
                            source.group(),
                            e.getMessage());
                    streams.clear();
                    safely(this::discover);
                } else {
                    LOG.warn(
                            "consumer {}: reading failed; retrying: {}",
                            source.group(),
                            e.toString());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                errors.incrementAndGet();
                LOG.warn("consumer {}: reading failed; retrying: {}", source.group(), e.toString());
            }
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        }
    }

    /** Delivers the entries the group gave this consumer before and that were not acknowledged. */
    private void drainPending(String key) {
        String after = "0";
        while (running) {
            List<StreamMessage<String, String>> got =
                    redis.xreadgroup(
                            me,
                            XReadArgs.Builder.count(source.batch()),
                            XReadArgs.StreamOffset.from(key, after));
            if (got.isEmpty()) {
                return;
            }
            for (StreamMessage<String, String> m : got) {
                handle(m);
                after = m.getId();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void readNew() {
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[streams.size()];
        int i = 0;
        for (String k : streams) {
            offsets[i++] = XReadArgs.StreamOffset.lastConsumed(k);
        }
        List<StreamMessage<String, String>> got =
                redis.xreadgroup(
                        me, XReadArgs.Builder.count(source.batch()).block(source.block()), offsets);
        for (StreamMessage<String, String> m : got) {
            if (!running) {
                return;
            }
            handle(m);
        }
    }

    private void handle(StreamMessage<String, String> m) {
        String key = m.getStream();
        String before = lastHandled.get(key);
        if (before != null && compareIds(m.getId(), before) <= 0) {
            skipped.incrementAndGet(); // handled before in this process
            redis.xack(key, source.group(), m.getId());
            return;
        }
        Map<String, String> body = m.getBody();
        String data = body == null ? null : body.get("data");
        if (data == null) {
            // A pending entry trimmed away meanwhile, or not the gateway's.
            skipped.incrementAndGet();
            lastHandled.put(key, m.getId());
            redis.xack(key, source.group(), m.getId());
            return;
        }
        try {
            WireMessage w = reader.read(data.getBytes(StandardCharsets.UTF_8));
            if (w instanceof WireMessage.Market mk) {
                if (wanted.isEmpty() || wanted.contains(mk.event().symbol())) {
                    ticks.onTick(mk.event());
                    delivered.incrementAndGet();
                }
            } else {
                StatusEvent e = ((WireMessage.Status) w).event();
                if (wanted.isEmpty()
                        || !(e instanceof StatusEvent.Gap g)
                        || wanted.contains(g.symbol())) {
                    status.onStatus(e);
                    delivered.incrementAndGet();
                }
            }
        } catch (WireReader.WireFormatException e) {
            errors.incrementAndGet();
            LOG.warn(
                    "consumer {}: skipped entry {} of {}: {}",
                    source.group(),
                    m.getId(),
                    key,
                    e.getMessage());
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            LOG.warn(
                    "consumer {}: a listener threw on entry {} of {}; continuing",
                    source.group(),
                    m.getId(),
                    key,
                    e);
        }
        lastHandled.put(key, m.getId());
        redis.xack(key, source.group(), m.getId());
    }

    /** Compares stream entry ids {@code <ms>-<seq>}. */
    static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c =
                Long.compare(
                        Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0
                ? c
                : Long.compare(
                        Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    /**
     * @return the streams read
     */
    public synchronized List<String> streams() {
        return List.copyOf(streams);
    }

    /**
     * @return events and status events handed to the listeners
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * @return entries dropped as already handled or empty
     */
    public long skipped() {
        return skipped.get();
    }

    /**
     * @return unreadable entries, listener exceptions and read failures
     */
    public long errors() {
        return errors.get();
    }

    /** Stops delivering and disconnects; the group keeps its position. Idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(source.block().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
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
