package io.tickmux.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The account's connection cap (reference §5.1, §5.2): per key, the authenticated connections still
 * open, oldest first. A connection that authenticates past the cap is admitted and the oldest one
 * is evicted: the newcomer keeps streaming. How the evicted one is closed is the caller's ({@link
 * FakeSession#evict(FakeMassiveServer.EvictionClose)}). Thread-safe.
 *
 * @param <C> a connection ({@link FakeSession} on the server)
 */
final class ConnectionCap<C> {

    /**
     * What one authentication did to the key's connections.
     *
     * @param openWithKey the key's open connections right after it, itself included, before the
     *     eviction
     * @param evicted the oldest connection, now out of the count, or {@code null} when the key was
     *     within the cap
     * @param <C> a connection
     */
    record Admission<C>(int openWithKey, C evicted) {}

    private final int cap;
    private final Predicate<C> open;
    private final Map<String, List<C>> byKey = new HashMap<>();
    private final AtomicLong evictions = new AtomicLong();

    /**
     * @param cap most authenticated connections per key
     * @param open whether a connection is still open (closed ones no longer count)
     */
    ConnectionCap(int cap, Predicate<C> open) {
        this.cap = cap;
        this.open = open;
    }

    /**
     * Counts a connection that just authenticated with a key, and evicts the key's oldest open
     * connection when that takes the key past the cap.
     *
     * @param key the key it authenticated with
     * @param connection the connection
     * @return the key's count and the connection evicted, if any
     */
    Admission<C> admit(String key, C connection) {
        C evicted = null;
        int count;
        synchronized (byKey) {
            List<C> list = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            list.removeIf(open.negate());
            list.add(connection);
            count = list.size();
            if (list.size() > cap) {
                evicted = list.remove(0);
            }
        }
        if (evicted != null) {
            evictions.incrementAndGet();
        }
        return new Admission<>(count, evicted);
    }

    /**
     * @return connections evicted since start
     */
    long evictions() {
        return evictions.get();
    }
}
