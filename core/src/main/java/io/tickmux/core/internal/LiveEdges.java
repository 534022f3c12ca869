package io.tickmux.core.internal;

import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.EventSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the listener received live near a gap's edges, so a backfill delivers nothing twice. A sink
 * on the data path (so the per-event path itself is unchanged), present only when a backfill hook
 * is configured: per ticker it keeps the last {@code capacity} trades and quotes delivered (a
 * reference each, no copy), and while a gap of the ticker is being filled it also collects the key
 * of every live event of the gap's span that arrives late.
 *
 * <p>The leading edge (what arrived just before the socket was lost, at or after the gap's start)
 * and the first events after the recovery are in the ring when the gap is reported; {@link #watch}
 * takes them and, under the ring's lock, starts collecting later arrivals, so nothing falls between
 * the two. Keys are {@link Dedup}'s for trades (exchange and trade id) and the sequence number for
 * quotes. Thread-safe: a ring's lock is taken by the one or two read threads carrying the ticker
 * and, once per gap, by the backfill thread.
 */
final class LiveEdges implements EventSink {

    private final int capacity;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    /**
     * @param capacity trades and quotes kept per ticker
     */
    LiveEdges(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void onEvents(String connectionId, List<MarketEvent> events) {
        for (int i = 0, n = events.size(); i < n; i++) {
            MarketEvent e = events.get(i);
            if (e instanceof Trade || e instanceof Quote) {
                Ring r = rings.get(e.symbol());
                if (r == null) {
                    r = rings.computeIfAbsent(e.symbol(), k -> new Ring(capacity));
                }
                r.add(e);
            }
        }
    }

    /**
     * Starts watching a gap: returns a set holding the keys of the events received live in {@code
     * [fromMillis, toMillis]} so far, which keeps growing with late live arrivals of that span
     * until {@link #unwatch}.
     *
     * @param symbol the gap's ticker
     * @param fromMillis the gap's start
     * @param toMillis the gap's end
     * @return the live keys; read it only while holding it (it is synchronized)
     */
    Set<Object> watch(String symbol, long fromMillis, long toMillis) {
        return rings.computeIfAbsent(symbol, k -> new Ring(capacity)).watch(fromMillis, toMillis);
    }

    /**
     * Stops collecting for a watch.
     *
     * @param symbol the ticker
     * @param live the set {@link #watch} returned
     */
    void unwatch(String symbol, Set<Object> live) {
        Ring r = rings.get(symbol);
        if (r != null) {
            r.unwatch(live);
        }
    }

    /**
     * @param symbol a ticker
     * @param kind trade or quote
     * @return whether an event of that kind arrived live for it since it was first seen
     */
    boolean streamed(String symbol, EventKind kind) {
        Ring r = rings.get(symbol);
        return r != null && (kind == EventKind.TRADE ? r.trades : r.quotes);
    }

    /**
     * Forgets every ticker no longer subscribed.
     *
     * @param wanted whether a ticker is subscribed
     */
    void retain(Predicate<String> wanted) {
        rings.keySet().removeIf(s -> !wanted.test(s));
    }

    /**
     * Forgets a ticker no longer subscribed.
     *
     * @param symbol the ticker
     */
    void forget(String symbol) {
        rings.remove(symbol);
    }

    /**
     * @param e a trade or quote
     * @return its identity: exchange and trade id, or the quote's sequence number
     */
    static Object key(MarketEvent e) {
        if (e instanceof Quote q && q.sequence() >= 0) {
            return "Q" + q.sequence();
        }
        return Dedup.key(e);
    }

    /** One ticker's recent events, and the watches of its gaps being filled. */
    private static final class Ring {
        private final MarketEvent[] events;
        private int next;
        private int size;
        private List<Watch> watches; // null while no gap of the ticker is being filled
        volatile boolean trades;
        volatile boolean quotes;

        Ring(int capacity) {
            this.events = new MarketEvent[capacity];
        }

        synchronized void add(MarketEvent e) {
            if (e instanceof Trade) {
                if (!trades) {
                    trades = true;
                }
            } else if (!quotes) {
                quotes = true;
            }
            events[next] = e;
            next = (next + 1) % events.length;
            if (size < events.length) {
                size++;
            }
            if (watches != null) {
                long t = e.timestampMillis();
                for (Watch w : watches) {
                    if (t >= w.from && t <= w.to) {
                        w.live.add(key(e));
                    }
                }
            }
        }

        synchronized Set<Object> watch(long from, long to) {
            Set<Object> live = Collections.synchronizedSet(new HashSet<>());
            for (int i = 0; i < size; i++) {
                MarketEvent e = events[(next - 1 - i + events.length) % events.length];
                long t = e.timestampMillis();
                if (t >= from && t <= to) {
                    live.add(key(e));
                }
            }
            if (watches == null) {
                watches = new ArrayList<>(1);
            }
            watches.add(new Watch(from, to, live));
            return live;
        }

        synchronized void unwatch(Set<Object> live) {
            if (watches != null) {
                watches.removeIf(w -> w.live == live);
                if (watches.isEmpty()) {
                    watches = null;
                }
            }
        }
    }

    private record Watch(long from, long to, Set<Object> live) {}
}
