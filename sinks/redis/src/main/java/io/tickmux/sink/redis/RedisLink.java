package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's Lettuce connection: the client (it neither reconnects nor queues by itself), its
 * threads ({@code tickmux-sink-redis-client-<n>}, owned here and stopped by {@link #release()}),
 * the current connection and, across a reconnect, the server's {@code run_id} and the old
 * connection's client id, so that the same server closes the old one first. The connection is
 * replaced on the publishing thread only; {@link #connected()} may be asked on any thread.
 */
final class RedisLink {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);

    private final RedisSinkSettings settings;
    private ClientResources resources;
    private RedisClient client;
    private RedisURI uri;
    private volatile StatefulRedisConnection<String, String> connection;
    private RedisAsyncCommands<String, String> async;
    private long clientId = -1;
    private String runId = "";

    /**
     * @param settings the sink's settings
     */
    RedisLink(RedisSinkSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Makes the client and connects, on the caller's thread.
     *
     * @throws IOException when Redis cannot be reached, saying what to fix (never the password)
     */
    void open() throws IOException {
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

    /**
     * @param info the answer to {@code INFO server}
     * @return the server process's {@code run_id}; empty when it has none
     */
    static String runId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    /**
     * Connects again, then has the server close the previous connection when it is the same server
     * process.
     *
     * @throws InterruptedException when interrupted
     * @throws TimeoutException when the server does not answer in time
     * @throws RuntimeException when Redis cannot be reached
     */
    void reconnect() throws InterruptedException, TimeoutException {
        long oldId = clientId;
        String oldRunId = runId;
        connect();
        closeOldClient(oldId, oldRunId);
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

    /**
     * @return whether the current connection is open
     */
    boolean connected() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /**
     * @return the commands of the current (or last) connection; they fail while it is closed
     */
    RedisAsyncCommands<String, String> async() {
        return async;
    }

    /** Closes the current connection without waiting; {@link #connected()} turns false. */
    void closeAsync() {
        connection.closeAsync();
    }

    /** Forgets the current connection, closing it without waiting if it is open. */
    void drop() {
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null && c.isOpen()) {
            c.closeAsync();
        }
    }

    /**
     * @param stream a stream's key
     * @return the {@code id} field of its newest entry; null when it is empty or has none
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when Redis answers with an error
     * @throws TimeoutException when Redis does not answer within the command timeout
     */
    String newestId(String stream)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<StreamMessage<String, String>> newest =
                async.xrevrange(stream, Range.unbounded(), Limit.from(1))
                        .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return newest.isEmpty() ? null : newest.get(0).getBody().get(RedisSink.FIELD_ID);
    }

    /**
     * @param e a failure
     * @return its root cause's type and message, the URL's credentials masked
     */
    String describe(Throwable e) {
        return describe(e, settings.url());
    }

    /**
     * @param e a failure
     * @param url the server's URL, possibly with credentials
     * @return its root cause's type and message, with whatever precedes the URL's {@code @} masked
     */
    static String describe(Throwable e, String url) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getClass().getSimpleName() + ": " + c.getMessage();
        int at = url.lastIndexOf('@');
        return at > 0 ? m.replace(url.substring(0, at), "****") : m;
    }

    /** Closes the connection, then stops the client and its threads. */
    void release() {
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
}
