package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Where a {@link RedisStreamsConsumer} reads: the Redis Streams a tickmux gateway's Redis sink
 * writes ({@code tickmux.sink.redis.streams}), through a consumer group of the given name (its
 * position, and what was delivered and not acknowledged, survive restarts of the consumer).
 *
 * @param url the Redis server, {@code redis://[user:password@]host:port[/db]}
 * @param keyPrefix the gateway's key prefix ({@code tickmux.sink.redis.streams.key-prefix})
 * @param group the consumer group: one per application, shared by its restarts
 * @param consumer the consumer's name within the group (one per group keeps per-ticker order)
 * @param tickers the tickers wanted (their {@code <prefix>:ticker:<ticker>} streams); empty for
 *     every stream the gateway writes, found by {@code SCAN} at start and every {@code rescan}
 * @param fromStart whether a group created now reads each stream from its first entry ({@code 0})
 *     or only what is added from now on ({@code $})
 * @param batch entries read at a time per stream
 * @param block how long one read waits for new entries
 * @param rescan how often new streams are looked for (with {@code tickers} empty)
 */
public record RedisStreamSource(
        String url,
        String keyPrefix,
        String group,
        String consumer,
        List<String> tickers,
        boolean fromStart,
        int batch,
        Duration block,
        Duration rescan) {

    public RedisStreamSource {
        requireNonNull(url, "url is null");
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(group, "group is null");
        requireNonNull(consumer, "consumer is null");
        tickers = List.copyOf(tickers);
        requireNonNull(block, "block is null");
        requireNonNull(rescan, "rescan is null");
        if (group.isBlank() || consumer.isBlank()) {
            throw new IllegalArgumentException("group and consumer must not be blank");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, was " + batch);
        }
    }

    /**
     * Every stream under the default prefix {@code tickmux}, from the first entry; the consumer is
     * named after the group.
     *
     * @param url the server
     * @param group the consumer group
     * @return the source
     */
    public static RedisStreamSource of(String url, String group) {
        return new RedisStreamSource(
                url,
                "tickmux",
                group,
                group,
                List.of(),
                true,
                256,
                Duration.ofMillis(200),
                Duration.ofSeconds(5));
    }

    /**
     * @param prefix the key prefix
     * @return a copy reading there
     */
    public RedisStreamSource at(String prefix) {
        return new RedisStreamSource(
                url, prefix, group, consumer, tickers, fromStart, batch, block, rescan);
    }

    /**
     * @param wanted the tickers; empty for all
     * @return a copy reading only these
     */
    public RedisStreamSource tickers(List<String> wanted) {
        return new RedisStreamSource(
                url, keyPrefix, group, consumer, wanted, fromStart, batch, block, rescan);
    }

    /**
     * @param name the consumer's name within the group
     * @return a copy with it
     */
    public RedisStreamSource consumer(String name) {
        return new RedisStreamSource(
                url, keyPrefix, group, name, tickers, fromStart, batch, block, rescan);
    }

    /**
     * @param every how often new streams are looked for
     * @return a copy with it
     */
    public RedisStreamSource rescan(Duration every) {
        return new RedisStreamSource(
                url, keyPrefix, group, consumer, tickers, fromStart, batch, block, every);
    }
}
