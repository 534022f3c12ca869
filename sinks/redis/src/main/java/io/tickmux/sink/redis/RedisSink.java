package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.sink.BufferedSink;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the feed to Redis with Lettuce, in one or both of two modes.
 *
 * <p><b>Streams</b>: every event is an entry ({@code XADD}, trimmed by {@code MAXLEN ~} or {@code
 * MINID ~}) on {@code <prefix>:ticker:<ticker>} or {@code <prefix>:channel:<channel>}, with the
 * fields {@code Tickmux-Wire} (the version), {@code id} ({@link WireFormat#messageId(MarketEvent)})
 * and {@code data} (the wire-format JSON). Gaps go to the ticker's stream (per ticker) or {@code
 * <prefix>:status} (per channel); other status to {@code <prefix>:status}.
 *
 * <p><b>Compatibility</b>: trades, quotes and aggregates are also {@code PUBLISH}ed on the original
 * application's channels with its payloads ({@link CompatPayloads}).
 *
 * <p>Commands are pipelined on one connection with at most {@code max-in-flight} events
 * unacknowledged, retired in order. The client does not reconnect or queue by itself: while Redis
 * is away the sink's bounded buffer holds the events (its overflow reported as gaps) and the
 * publishing thread reconnects every {@code reconnect-wait}. After a reconnect it asks each stream
 * with unacknowledged entries for its newest entry: the entries up to that one's {@code id} were
 * stored, the rest are sent again in order, so a stream holds every event once. Unacknowledged
 * {@code PUBLISH}es are sent again (pub/sub is at-least-once across a reconnect).
 *
 * <p>The sink wires its parts and reconnects: {@code EventCommands} (an event's commands), {@code
 * RedisPipeline} (what is in flight), {@code StreamTrim} (each {@code XADD}'s trimming), {@code
 * Resync} (what a reconnect finds stored) and {@code RedisLink} (the client and its connection).
 */
public final class RedisSink extends BufferedSink {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);

    /** The stream entry's fields. */
    public static final String FIELD_VERSION = WireFormat.VERSION_HEADER;

    /** The field with the event's deterministic id. */
    public static final String FIELD_ID = "id";

    /** The field with the wire-format JSON. */
    public static final String FIELD_DATA = "data";

    private final RedisSinkSettings settings;
    private final EventCommands commands;
    private final RedisLink link;
    private final RedisPipeline pipeline;
    private long lastAttempt;
    private String dropReason;
    private boolean wasConnected;

    /**
     * @param settings the settings
     * @param context the host's context
     */
    public RedisSink(RedisSinkSettings settings, SinkContext context) {
        super(
                "redis",
                context,
                settings.bufferCapacity(),
                settings.overflow(),
                Math.min(256, settings.maxInFlight()),
                settings.closeTimeout());
        this.settings = requireNonNull(settings, "settings is null");
        this.commands = new EventCommands(settings);
        this.link = new RedisLink(settings);
        this.pipeline =
                new RedisPipeline(
                        settings, link, new StreamTrim(settings, context.clock()), new Host());
    }

    /**
     * The stream an event is written to.
     *
     * @param settings the settings
     * @param e the event
     * @return e.g. {@code tickmux:ticker:AAPL} or {@code tickmux:channel:T}
     */
    public static String streamKey(RedisSinkSettings settings, MarketEvent e) {
        return settings.per() == RedisSinkSettings.Per.TICKER
                ? settings.keyPrefix() + ":ticker:" + WireFormat.token(e.symbol())
                : settings.keyPrefix() + ":channel:" + e.kind().channel();
    }

    @Override
    protected void open() throws Exception {
        link.open();
        wasConnected = true;
    }

    @Override
    protected boolean connected() {
        return link.connected();
    }

    @Override
    protected void waitForConnection() throws InterruptedException {
        if (closing() || connected()) {
            return;
        }
        if (wasConnected) {
            wasConnected = false;
            String why = dropReason == null ? "" : " (" + dropReason + ")";
            dropReason = null;
            error("disconnected from Redis" + why);
            LOG.warn(
                    "sink redis: disconnected from {}{}; buffering (up to {} events) and"
                            + " reconnecting every {}",
                    settings.where(),
                    why,
                    settings.bufferCapacity(),
                    settings.reconnectWait());
        }
        long waitMs =
                settings.reconnectWait().toMillis()
                        - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAttempt);
        if (waitMs > 0) {
            synchronized (this) {
                if (!closing()) {
                    wait(Math.min(waitMs, 100));
                }
            }
            return;
        }
        lastAttempt = System.nanoTime();
        link.drop();
        int found;
        try {
            link.reconnect();
            found = pipeline.resync();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            error("cannot reach Redis: " + link.describe(e));
            link.drop();
            return;
        }
        wasConnected = true;
        LOG.info(
                "sink redis: reconnected to {}; of {} events not acknowledged, {} stream entries"
                        + " were found stored and the rest is sent again",
                settings.where(),
                pipeline.inFlight(),
                found);
        ring.wakeUp();
    }

    @Override
    protected void publish(MarketEvent event, String connectionId, long receivedNanos)
            throws InterruptedException {
        List<Command> cmds = commands.of(event, connectionId, receivedNanos);
        if (!cmds.isEmpty()) {
            pipeline.enqueue(new PendingEvent(event, connectionId, receivedNanos, cmds));
        }
    }

    @Override
    protected void publishStatus(StatusEvent event) throws InterruptedException {
        Command c = commands.of(event);
        if (c != null) {
            pipeline.enqueue(new PendingEvent(null, "", 0, List.of(c)));
        }
    }

    @Override
    protected void settle() throws InterruptedException {
        pipeline.settle();
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        pipeline.drain(deadlineNanos);
        link.release();
    }

    @Override
    protected int inFlight() {
        return pipeline.inFlight();
    }

    @Override
    protected String destination() {
        return "Redis "
                + settings.where()
                + (settings.streams()
                        ? " streams "
                                + settings.keyPrefix()
                                + ":"
                                + (settings.per() == RedisSinkSettings.Per.TICKER
                                        ? "ticker"
                                        : "channel")
                                + ":*"
                        : "")
                + (settings.compat() ? " and the original app's pub/sub channels" : "");
    }

    /**
     * @return the settings (the URL's password masked in their string form)
     */
    public RedisSinkSettings settings() {
        return settings;
    }

    /** The sink as the pipeline sees it: its counters, its reconnect and its broken connection. */
    private final class Host implements RedisPipeline.Host {
        @Override
        public void acknowledged(long receivedNanos) {
            RedisSink.this.acknowledged(receivedNanos);
        }

        @Override
        public void error(String what) {
            RedisSink.this.error(what);
        }

        @Override
        public void lost(MarketEvent event, String connectionId, String reason) {
            RedisSink.this.lost(event, connectionId, reason);
        }

        @Override
        public void waitForConnection() throws InterruptedException {
            RedisSink.this.waitForConnection();
        }

        @Override
        public void broken(String why) {
            dropReason = why;
            RedisSink.this.error(why);
            link.closeAsync();
        }
    }
}
