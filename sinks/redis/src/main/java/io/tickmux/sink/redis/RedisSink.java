package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireWriter;
import io.tickmux.wire.sink.BufferedSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 */
public final class RedisSink extends BufferedSink {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);
    private static final String VERSION = Integer.toString(WireFormat.VERSION);

    /** The stream entry's fields. */
    public static final String FIELD_VERSION = WireFormat.VERSION_HEADER;

    /** The field with the event's deterministic id. */
    public static final String FIELD_ID = "id";

    /** The field with the wire-format JSON. */
    public static final String FIELD_DATA = "data";

    private final RedisSinkSettings settings;
    private final WireWriter writer = new WireWriter();
    private final CompatPayloads compat;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String statusKey;
    private ClientResources resources;
    private RedisClient client;
    private RedisURI uri;
    private volatile StatefulRedisConnection<String, String> connection;
    private RedisAsyncCommands<String, String> async;
    private long lastAttempt;
    private String dropReason;
    private long clientId = -1;
    private String runId = "";
    private boolean wasConnected;

    /** One command of an event. Publishing thread only. */
    private static final class Cmd {
        final String key; // a stream, or a channel
        final boolean xadd;
        final String id; // the entry's id field (xadd)
        final String value; // data (xadd) or the message (publish)
        RedisFuture<?> future;
        boolean stored; // known stored without a future (found after a reconnect)

        Cmd(String key, boolean xadd, String id, String value) {
            this.key = key;
            this.xadd = xadd;
            this.id = id;
            this.value = value;
        }

        boolean ok() {
            return stored
                    || future != null
                            && future.isDone()
                            && !future.toCompletableFuture().isCompletedExceptionally();
        }

        boolean failed() {
            return !stored
                    && future != null
                    && future.toCompletableFuture().isCompletedExceptionally();
        }
    }

    /** An event's (or a status event's) commands, sent and not all acknowledged. */
    private static final class Pending {
        final MarketEvent event;
        final String connectionId;
        final long receivedNanos;
        final List<Cmd> cmds;
        int retries;

        Pending(MarketEvent event, String connectionId, long receivedNanos, List<Cmd> cmds) {
            this.event = event;
            this.connectionId = connectionId;
            this.receivedNanos = receivedNanos;
            this.cmds = cmds;
        }
    }

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
        this.compat = new CompatPayloads(settings);
        this.statusKey = settings.keyPrefix() + ":status";
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
        uri = RedisURI.create(settings.url());
        uri.setClientName(settings.clientName());
        uri.setTimeout(settings.commandTimeout());
        AtomicInteger n = new AtomicInteger();
        resources =
                DefaultClientResources.builder()
                        .ioThreadPoolSize(2)
                        .computationThreadPoolSize(1)
                        .threadFactoryProvider(
                                pool ->
                                        r -> {
                                            Thread t =
                                                    new Thread(
                                                            r,
                                                            "tickmux-sink-redis-client-"
                                                                    + n.incrementAndGet());
                                            t.setDaemon(true);
                                            return t;
                                        })
                        .build();
        client = RedisClient.create(resources);
        client.setOptions(
                ClientOptions.builder()
                        // The sink reconnects itself and knows what to send again; the client
                        // neither queues nor replays anything.
                        .autoReconnect(false)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                        .socketOptions(
                                SocketOptions.builder()
                                        .connectTimeout(settings.connectTimeout())
                                        .keepAlive(true)
                                        .build())
                        .build());
        try {
            connect();
        } catch (RuntimeException e) {
            release();
            throw new IOException(
                    "sink redis: cannot reach Redis at "
                            + settings.where()
                            + " ("
                            + describe(e)
                            + "): start a redis-server there, or set "
                            + RedisSinkSettings.PATH
                            + ".url",
                    e);
        }
        wasConnected = true;
    }

    private void connect() {
        StatefulRedisConnection<String, String> c = client.connect(uri);
        c.setAutoFlushCommands(true);
        async = c.async();
        try {
            clientId = c.sync().clientId();
            runId = runId(c.sync().info("server"));
        } catch (RuntimeException e) {
            clientId = -1; // CLIENT or INFO not allowed: the old connection is not closed first
            runId = "";
        }
        connection = c;
    }

    private static String runId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    /**
     * A connection given up while the server still held commands of it (a server that stopped
     * answering, not one that died) could have them executed after the reconnect, behind the
     * resync's look at the streams. The same server process (its run_id) is asked to close it
     * first: a closed client's unread commands never run. Client ids are never reused within a
     * server's lifetime, so no other client is touched.
     */
    private void closeOldClient(long oldId, String oldRunId)
            throws InterruptedException, TimeoutException {
        if (oldId < 0 || oldRunId.isEmpty() || !oldRunId.equals(runId)) {
            return;
        }
        try {
            async.clientKill(KillArgs.Builder.id(oldId))
                    .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.warn(
                    "sink redis: could not close the previous connection on the server ({}); an"
                            + " entry it still held may be written twice",
                    describe(e));
        }
    }

    private String describe(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getClass().getSimpleName() + ": " + c.getMessage();
        String url = settings.url();
        int at = url.lastIndexOf('@');
        return at > 0 ? m.replace(url.substring(0, at), "****") : m;
    }

    @Override
    protected boolean connected() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
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
        StatefulRedisConnection<String, String> old = connection;
        connection = null;
        if (old != null && old.isOpen()) {
            old.closeAsync();
        }
        int found;
        long oldId = clientId;
        String oldRunId = runId;
        try {
            connect();
            closeOldClient(oldId, oldRunId);
            found = resync();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            error("cannot reach Redis: " + describe(e));
            StatefulRedisConnection<String, String> c = connection;
            connection = null;
            if (c != null && c.isOpen()) {
                c.closeAsync();
            }
            return;
        }
        wasConnected = true;
        LOG.info(
                "sink redis: reconnected to {}; of {} events not acknowledged, {} stream entries"
                        + " were found stored and the rest is sent again",
                settings.where(),
                pending.size(),
                found);
        ring.wakeUp();
    }

    /**
     * After a reconnect: finds which unacknowledged stream entries were stored (per stream, the
     * entries up to the newest entry's id) and sends the rest again, in order.
     *
     * @return the entries found stored
     */
    private int resync() throws InterruptedException, ExecutionException, TimeoutException {
        int found = 0;
        Map<String, List<Cmd>> byStream = new LinkedHashMap<>();
        for (Pending p : pending) {
            for (Cmd c : p.cmds) {
                if (c.xadd) {
                    byStream.computeIfAbsent(c.key, k -> new ArrayList<>()).add(c);
                }
            }
        }
        for (Map.Entry<String, List<Cmd>> e : byStream.entrySet()) {
            List<Cmd> cmds = e.getValue();
            int lastOk = -1;
            for (int i = 0; i < cmds.size(); i++) {
                if (cmds.get(i).ok()) {
                    lastOk = i;
                }
            }
            if (lastOk == cmds.size() - 1) {
                continue;
            }
            List<StreamMessage<String, String>> newest =
                    async.xrevrange(e.getKey(), Range.unbounded(), Limit.from(1))
                            .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (newest.isEmpty()) {
                continue;
            }
            String id = newest.get(0).getBody().get(FIELD_ID);
            for (int i = lastOk + 1; i < cmds.size(); i++) {
                if (cmds.get(i).id.equals(id)) {
                    for (int j = lastOk + 1; j <= i; j++) {
                        cmds.get(j).stored = true;
                        found++;
                    }
                    break;
                }
            }
        }
        for (Pending p : pending) {
            for (Cmd c : p.cmds) {
                if (!c.ok()) {
                    send(c);
                }
            }
        }
        return found;
    }

    @Override
    protected void publish(MarketEvent event, String connectionId, long receivedNanos)
            throws InterruptedException {
        List<Cmd> cmds = new ArrayList<>(5);
        if (settings.streams()) {
            cmds.add(
                    new Cmd(
                            streamKey(settings, event),
                            true,
                            WireFormat.messageId(event),
                            new String(
                                    writer.market(event, connectionId, receivedNanos),
                                    StandardCharsets.UTF_8)));
        }
        if (settings.compat() && compat.publishes(event)) {
            String tick = null;
            if (!settings.tickerChannel().isEmpty()) {
                tick = compat.tick(event);
                cmds.add(
                        new Cmd(
                                settings.tickerChannel().replace("{ticker}", event.symbol()),
                                false,
                                null,
                                tick));
            }
            if (!settings.allChannel().isEmpty()) {
                cmds.add(
                        new Cmd(
                                settings.allChannel(),
                                false,
                                null,
                                tick != null ? tick : compat.tick(event)));
            }
            if (!settings.rawChannel().isEmpty()) {
                cmds.add(new Cmd(settings.rawChannel(), false, null, compat.raw(event)));
            }
            if (!settings.marketChannel().isEmpty()) {
                cmds.add(new Cmd(settings.marketChannel(), false, null, compat.market(event)));
            }
        }
        if (!cmds.isEmpty()) {
            enqueue(new Pending(event, connectionId, receivedNanos, cmds));
        }
    }

    @Override
    protected void publishStatus(StatusEvent event) throws InterruptedException {
        if (!settings.streams()) {
            return;
        }
        boolean gap = event instanceof StatusEvent.Gap;
        if (!gap && !settings.publishStatus()) {
            return;
        }
        String key =
                gap && settings.per() == RedisSinkSettings.Per.TICKER
                        ? settings.keyPrefix()
                                + ":ticker:"
                                + WireFormat.token(((StatusEvent.Gap) event).symbol())
                        : statusKey;
        Cmd c =
                new Cmd(
                        key,
                        true,
                        WireFormat.messageId(event),
                        new String(writer.status(event), StandardCharsets.UTF_8));
        enqueue(new Pending(null, "", 0, List.of(c)));
    }

    private void enqueue(Pending p) throws InterruptedException {
        while (pending.size() >= settings.maxInFlight()) {
            settle();
            if (pending.size() >= settings.maxInFlight()) {
                awaitHead();
            }
        }
        pending.addLast(p);
        inFlight.set(pending.size());
        if (connected()) {
            for (Cmd c : p.cmds) {
                send(c);
            }
        }
    }

    private void send(Cmd c) {
        try {
            if (c.xadd) {
                c.future =
                        async.xadd(
                                c.key,
                                trim(),
                                FIELD_VERSION,
                                VERSION,
                                FIELD_ID,
                                c.id,
                                FIELD_DATA,
                                c.value);
            } else {
                c.future = async.publish(c.key, c.value);
            }
        } catch (RuntimeException e) {
            // Not connected (the client queues nothing): sent again after the reconnect.
            c.future = null;
        }
    }

    private XAddArgs trim() {
        XAddArgs a = new XAddArgs();
        switch (settings.trim()) {
            case LENGTH ->
                    a.maxlen(settings.maxLength()).approximateTrimming(settings.approximate());
            case AGE ->
                    a.minId((context.clock().millis() - settings.maxAge().toMillis()) + "-0")
                            .approximateTrimming(settings.approximate());
            case NONE -> {}
        }
        return a;
    }

    private void awaitHead() throws InterruptedException {
        Pending head = pending.peekFirst();
        if (head == null) {
            return;
        }
        if (!connected()) {
            waitForConnection();
            return;
        }
        for (Cmd c : head.cmds) {
            if (c.future == null) {
                return; // sent by settle
            }
            if (!c.future.isDone()) {
                try {
                    c.future.toCompletableFuture().get(1, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // settled by the caller
                }
                return;
            }
        }
    }

    @Override
    protected void settle() throws InterruptedException {
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            boolean done = true;
            for (Cmd c : p.cmds) {
                if (c.ok()) {
                    continue;
                }
                done = false;
                if (c.future == null) {
                    if (connected()) {
                        send(c);
                    }
                    return;
                }
                if (!c.future.isDone()) {
                    return;
                }
                Throwable why = cause(c.future);
                if (why instanceof RedisCommandExecutionException) {
                    // Redis answered with an error (OOM, WRONGTYPE...): retried, then given up.
                    refused(p, c, why);
                } else if (connected()) {
                    // A timeout or a broken connection: whether it was stored is unknown; the
                    // connection is dropped and the reconnect finds out.
                    dropReason = "no answer from Redis: " + describe(why);
                    error(dropReason);
                    connection.closeAsync();
                }
                return;
            }
            if (done) {
                pending.pollFirst();
                inFlight.set(pending.size());
                acknowledged(p.receivedNanos);
            }
        }
    }

    private void refused(Pending p, Cmd c, Throwable why) {
        error(describe(why));
        p.retries++;
        if (p.retries > settings.maxRetries()) {
            pending.pollFirst();
            inFlight.set(pending.size());
            if (p.event != null) {
                lost(p.event, p.connectionId, "Redis refused it: " + why.getMessage());
            }
            LOG.warn(
                    "sink redis: gave up {} after {} retries: {}",
                    c.key,
                    settings.maxRetries(),
                    why.getMessage());
            return;
        }
        for (Cmd x : p.cmds) {
            if (x.failed()) {
                send(x);
            }
        }
    }

    private static Throwable cause(RedisFuture<?> f) {
        try {
            f.toCompletableFuture().join();
            return new IllegalStateException("unknown");
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        try {
            while (!pending.isEmpty() && System.nanoTime() < deadlineNanos && connected()) {
                settle();
                if (!pending.isEmpty()) {
                    awaitHead();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            LOG.warn(
                    "sink redis: closing with {} events unacknowledged (they may have been"
                            + " stored)",
                    pending.size());
        }
        release();
    }

    private void release() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    protected int inFlight() {
        return inFlight.get();
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
}
