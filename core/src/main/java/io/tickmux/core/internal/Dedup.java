package io.tickmux.core.internal;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * First copy wins, for one ticker while it is on two connections (a make-before-break move):
 * remembers the keys of the events seen recently and says whether an event is new. Trades are keyed
 * by exchange and trade id; quotes and aggregates by time and content. Bounded: the oldest keys are
 * forgotten first. Thread-safe (the two connections' read threads share it).
 */
final class Dedup {

    private final int capacity;
    private final LinkedHashMap<Object, Boolean> seen;

    Dedup(int capacity) {
        this.capacity = capacity;
        this.seen =
                new LinkedHashMap<>(64, 0.75f, false) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
                        return size() > Dedup.this.capacity;
                    }
                };
    }

    /**
     * @param e an event of this ticker
     * @return {@code true} the first time an event with its key is seen, {@code false} for a copy
     */
    synchronized boolean firstCopy(MarketEvent e) {
        return seen.put(key(e), Boolean.TRUE) == null;
    }

    static Object key(MarketEvent e) {
        if (e instanceof Trade t) {
            return t.tradeId() != null ? "T" + t.exchange() + ":" + t.tradeId() : t;
        }
        if (e instanceof Quote || e instanceof Aggregate) {
            return e; // records compare by content, timestamps included
        }
        return e;
    }
}
