package io.tickmux.consumer.internal;

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
import io.tickmux.consumer.RedisStreamSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A Redis Streams consumer's connection and the commands it sends as one consumer of its group:
 * {@code SCAN} for streams, {@code XGROUP CREATE}, {@code XREADGROUP} of its pending and of new
 * entries, {@code XACK}.
 *
 * <p>Used by the starting thread, then by the delivery thread only; {@link #close} after that
 * thread ended.
 */
public final class RedisGroupSession implements AutoCloseable {

    private final RedisStreamSource source;
    private final RedisURI uri;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final Consumer<String> me;

    private RedisGroupSession(
            RedisStreamSource source,
            RedisURI uri,
            RedisClient client,
            StatefulRedisConnection<String, String> connection) {
        this.source = source;
        this.uri = uri;
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
        this.me = Consumer.from(source.group(), source.consumer());
    }

    /**
     * Connects, named after the group, with a command timeout longer than a blocking read.
     *
     * @param source where to read
     * @return the session
     * @throws RedisException when Redis is not reachable (the message says where and what to do)
     */
    public static RedisGroupSession open(RedisStreamSource source) {
        RedisURI uri = RedisURI.create(source.url());
        uri.setClientName("tickmux-consumer-" + source.group());
        // A read blocks up to source.block(); the answer may take a while after that.
        uri.setTimeout(source.block().plusSeconds(10));
        RedisClient client = RedisClient.create();
        try {
            return new RedisGroupSession(source, uri, client, client.connect(uri));
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
    }

    /**
     * @return the server's host, for the log (never the password)
     */
    public String host() {
        return uri.getHost();
    }

    /**
     * @return the server's port, for the log
     */
    public int port() {
        return uri.getPort();
    }

    /**
     * @param pattern a key pattern
     * @return every key that matches it, scanned a thousand at a time
     */
    public List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> c =
                    redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            keys.addAll(c.getKeys());
            cursor = c;
        } while (!cursor.isFinished());
        return keys;
    }

    /**
     * Makes the group on a stream (and the stream, when missing), reading from its first entry or
     * from now on as the source says; a group that exists already is left as it is.
     *
     * @param key the stream
     */
    public void ensureGroup(String key) {
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

    /**
     * @param key the stream
     * @param after the id after which to read; {@code 0} for the first
     * @return up to a batch of the entries the group delivered to this consumer before and that it
     *     did not acknowledge; empty when there are no more
     */
    public List<StreamMessage<String, String>> pending(String key, String after) {
        return redis.xreadgroup(
                me,
                XReadArgs.Builder.count(source.batch()),
                XReadArgs.StreamOffset.from(key, after));
    }

    /**
     * @param keys the streams
     * @return up to a batch per stream of entries not yet delivered to the group, waiting up to the
     *     source's block time for some
     */
    @SuppressWarnings("unchecked")
    public List<StreamMessage<String, String>> next(Collection<String> keys) {
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[keys.size()];
        int i = 0;
        for (String k : keys) {
            offsets[i++] = XReadArgs.StreamOffset.lastConsumed(k);
        }
        return redis.xreadgroup(
                me, XReadArgs.Builder.count(source.batch()).block(source.block()), offsets);
    }

    /**
     * @param key the stream
     * @param id the entry handled
     */
    public void ack(String key, String id) {
        redis.xack(key, source.group(), id);
    }

    /** Disconnects; the group keeps its position. */
    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
