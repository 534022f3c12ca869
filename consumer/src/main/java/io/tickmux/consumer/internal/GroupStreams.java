package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.consumer.RedisStreamSource;
import io.tickmux.wire.WireFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The streams a Redis Streams consumer reads, with its group on each: the wanted tickers' streams,
 * or (with no tickers wanted) every ticker and channel stream found by {@code SCAN}, looked for
 * again every {@code rescan}; and the status stream. The group is made on each stream the first
 * time it is found.
 *
 * <p>Changed on the starting thread, then on the delivery thread.
 */
public final class GroupStreams {

    private final RedisStreamSource source;
    // written by the delivery thread when it rescans, read by any thread through list()
    private final Set<String> streams = new CopyOnWriteArraySet<>();
    private long lastScan;

    /**
     * @param source where to read
     */
    public GroupStreams(RedisStreamSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    /**
     * Finds the streams to read and makes the group on the new ones.
     *
     * @param session the connection
     */
    public void discover(RedisGroupSession session) {
        lastScan = System.nanoTime();
        Set<String> keys = new LinkedHashSet<>();
        if (source.tickers().isEmpty()) {
            for (String pattern :
                    List.of(source.keyPrefix() + ":ticker:*", source.keyPrefix() + ":channel:*")) {
                keys.addAll(session.scan(pattern));
            }
        } else {
            keys.addAll(tickerStreams(source));
        }
        keys.add(source.keyPrefix() + ":status");
        for (String k : keys) {
            if (!streams.contains(k)) {
                session.ensureGroup(k);
                streams.add(k);
            }
        }
    }

    /**
     * @param source where to read
     * @return the stream of each wanted ticker, in the order wanted
     */
    static List<String> tickerStreams(RedisStreamSource source) {
        return source.tickers().stream()
                .map(t -> source.keyPrefix() + ":ticker:" + WireFormat.token(t))
                .toList();
    }

    /**
     * @return whether the streams are to be looked for again: no tickers are wanted and {@code
     *     rescan} passed since the last look
     */
    public boolean rescanDue() {
        return source.tickers().isEmpty()
                && System.nanoTime() - lastScan > source.rescan().toNanos();
    }

    /**
     * Forgets every stream (Redis lost the group), so the next discovery makes the groups again.
     */
    public void forget() {
        streams.clear();
    }

    /**
     * @return the streams read, in the order found
     */
    public List<String> list() {
        return List.copyOf(streams);
    }

    /**
     * @return how many streams are read
     */
    public int size() {
        return streams.size();
    }
}
