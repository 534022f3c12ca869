package io.tickmux.wire.sink;

import static io.tickmux.routing.config.StrictConfig.kebab;
import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer between the read threads and a sink's publishing thread: references to the
 * (immutable) events, their connection and receipt time, in arrival order, in arrays allocated
 * once.
 *
 * <p>A full buffer never makes a read thread wait: the {@link SinkOverflow} policy decides which
 * event is dropped. Every drop is counted and remembered per ticker as an open <em>span</em> (first
 * and last event time, count, connection). The span becomes a {@link StatusEvent.Gap} in the buffer
 * itself, just before the ticker's next accepted event (so a consumer sees the gap exactly where
 * the events are missing), or, for a ticker that stays quiet, as soon as the buffer is at most half
 * full again. A gap that is itself pushed out by {@code drop-oldest} reopens its span: gaps are
 * never lost, only merged (with {@code drop-oldest} a merged gap lands just before the ticker's
 * newest kept event, after the few older ones still buffered).
 *
 * <p>Thread-safe: the read threads {@link #offer}; one publishing thread {@link #drainTo}. The lock
 * is held for a chunk's copy (at most 8 references); no allocation per accepted event.
 */
public final class EventRing {

    private final String sinkName;
    private final int capacity;
    private final SinkOverflow overflow;
    private final Clock clock;
    private final Object[] items;
    private final String[] conns;
    private final long[] received;
    private int head;
    private int size;
    private long dropped;
    private boolean closed;
    private final Map<String, Span> open = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    /** Drops of one ticker not yet reported. Guarded by the ring's lock. */
    static final class Span {
        final String symbol;
        final String connectionId;
        long fromMillis;
        long toMillis;
        long count;

        Span(String symbol, String connectionId, long millis) {
            this.symbol = symbol;
            this.connectionId = connectionId;
            this.fromMillis = millis;
            this.toMillis = millis;
            this.count = 1;
        }

        void add(long millis, long n) {
            fromMillis = Math.min(fromMillis, millis);
            toMillis = Math.max(toMillis, millis);
            count += n;
        }

        void merge(Span other) {
            add(other.fromMillis, other.count);
            toMillis = Math.max(toMillis, other.toMillis);
        }
    }

    /** What {@link #drainTo} fills: a market event or a sink gap per slot, in order. */
    public static final class Batch {
        private final Object[] items;
        private final String[] conns;
        private final long[] received;
        private int size;

        /**
         * @param max the most items one drain moves
         */
        public Batch(int max) {
            items = new Object[max];
            conns = new String[max];
            received = new long[max];
        }

        /**
         * @return items in this batch
         */
        public int size() {
            return size;
        }

        /**
         * @param i index
         * @return a {@link MarketEvent} or a {@link StatusEvent.Gap} the sink made for its drops
         */
        public Object item(int i) {
            return items[i];
        }

        /**
         * @param i index
         * @return the connection the event arrived on
         */
        public String connectionId(int i) {
            return conns[i];
        }

        /**
         * @param i index
         * @return when the gateway received the event, Unix ns (0 for a gap)
         */
        public long receivedNanos(int i) {
            return received[i];
        }

        /** Forgets the references (so the events can be collected). */
        public void clear() {
            Arrays.fill(items, 0, size, null);
            Arrays.fill(conns, 0, size, null);
            size = 0;
        }
    }

    /**
     * @param sinkName for the gaps' cause
     * @param capacity the bound, at least 2
     * @param overflow what a full buffer drops
     * @param clock stamps the gaps' {@code at}
     */
    public EventRing(String sinkName, int capacity, SinkOverflow overflow, Clock clock) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, was " + capacity);
        }
        this.sinkName = requireNonNull(sinkName, "sinkName is null");
        this.capacity = capacity;
        this.overflow = requireNonNull(overflow, "overflow is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.items = new Object[capacity];
        this.conns = new String[capacity];
        this.received = new long[capacity];
    }

    /**
     * Buffers a chunk. Never waits for room.
     *
     * @param connectionId the connection
     * @param events the chunk
     * @param receivedNanos when it was received, Unix ns
     * @return how many events (of this chunk or, with drop-oldest, buffered earlier) were dropped
     */
    public int offer(String connectionId, List<MarketEvent> events, long receivedNanos) {
        int drops = 0;
        lock.lock();
        try {
            for (int i = 0, n = events.size(); i < n; i++) {
                MarketEvent e = events.get(i);
                if (closed) {
                    drop(e.symbol(), connectionId, e.timestampMillis());
                    drops++;
                    continue;
                }
                Span span;
                while (true) {
                    span = open.isEmpty() ? null : open.get(e.symbol());
                    int need = span == null ? 1 : 2;
                    if (capacity - size >= need) {
                        break;
                    }
                    if (overflow == SinkOverflow.DROP_NEWEST || size == 0) {
                        span = DROPPED;
                        break;
                    }
                    drops += evictOldest();
                }
                if (span == DROPPED) {
                    drop(e.symbol(), connectionId, e.timestampMillis());
                    drops++;
                    continue;
                }
                if (span != null) {
                    open.remove(e.symbol());
                    put(span, span.connectionId, 0);
                }
                put(e, connectionId, receivedNanos);
            }
            if (size > 0) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        return drops;
    }

    private static final Span DROPPED = new Span("", "", 0);

    private int evictOldest() {
        Object o = items[head];
        String conn = conns[head];
        items[head] = null;
        conns[head] = null;
        head = (head + 1) % capacity;
        size--;
        if (o instanceof Span s) {
            Span cur = open.get(s.symbol);
            if (cur == null) {
                open.put(s.symbol, s);
            } else {
                cur.merge(s);
            }
            return 0;
        }
        MarketEvent e = (MarketEvent) o;
        drop(e.symbol(), conn, e.timestampMillis());
        return 1;
    }

    private void drop(String symbol, String conn, long millis) {
        dropped++;
        Span s = open.get(symbol);
        if (s == null) {
            open.put(symbol, new Span(symbol, conn, millis));
        } else {
            s.add(millis, 1);
        }
    }

    private void put(Object item, String conn, long rx) {
        int tail = (head + size) % capacity;
        items[tail] = item;
        conns[tail] = conn;
        received[tail] = rx;
        size++;
    }

    /**
     * Moves up to {@code batch}'s size of items into it, waiting up to {@code waitNanos} while the
     * buffer is empty. Reports quiet tickers' open spans once the buffer is at most half full.
     *
     * @param batch where to put them (cleared first)
     * @param waitNanos how long to wait for something; 0 returns at once
     * @return the number moved
     * @throws InterruptedException when interrupted while waiting
     */
    public int drainTo(Batch batch, long waitNanos) throws InterruptedException {
        batch.clear();
        lock.lock();
        try {
            if (size == 0 && open.isEmpty() && waitNanos > 0 && !closed) {
                notEmpty.awaitNanos(waitNanos);
            }
            if (!open.isEmpty() && size <= capacity / 2 && capacity - size >= open.size()) {
                for (Span s : new ArrayList<>(open.values())) {
                    put(s, s.connectionId, 0);
                }
                open.clear();
            }
            int n = Math.min(batch.items.length, size);
            for (int i = 0; i < n; i++) {
                Object o = items[head];
                batch.items[i] = o instanceof Span s ? gap(s) : o;
                batch.conns[i] = conns[head];
                batch.received[i] = received[head];
                items[head] = null;
                conns[head] = null;
                head = (head + 1) % capacity;
            }
            size -= n;
            batch.size = n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private StatusEvent.Gap gap(Span s) {
        return new StatusEvent.Gap(
                s.symbol,
                s.connectionId,
                Instant.ofEpochMilli(s.fromMillis),
                Instant.ofEpochMilli(s.toMillis),
                "sink "
                        + sinkName
                        + ": "
                        + s.count
                        + (s.count == 1 ? " event" : " events")
                        + " dropped (buffer full, "
                        + kebab(overflow)
                        + ")",
                clock.instant());
    }

    /** Wakes a publishing thread waiting in {@link #drainTo} (something else needs it). */
    public void wakeUp() {
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses further events (each counted as dropped) and wakes the publishing thread.
     *
     * @return the drops not yet reported as gaps, as gaps (for the sink's closing log)
     */
    public List<StatusEvent.Gap> close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            List<StatusEvent.Gap> out = new ArrayList<>();
            for (Span s : open.values()) {
                out.add(gap(s));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return items buffered now
     */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the bound
     */
    public int capacity() {
        return capacity;
    }

    /**
     * @return events dropped since the start
     */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}
