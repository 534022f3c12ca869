package io.tickmux.fake;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake market's memory: every trade and quote the fake server generated or published, per
 * ticker in SIP-time order, and the counters that make trade ids unique and sequence numbers
 * increase per ticker. The REST endpoints answer from it.
 *
 * <p>Give the same market to a server and to its replacement ({@link
 * FakeMassiveServer.Builder#market(FakeMarket)}) and a restart keeps both the history and the
 * uniqueness of trade ids, as the real service does. Bounded: past {@code maxPerTicker} events of
 * one ticker and kind the oldest are forgotten. Thread-safe.
 */
public final class FakeMarket {

    /** Events kept per ticker and kind by default. */
    public static final int DEFAULT_MAX_PER_TICKER = 200_000;

    private final int maxPerTicker;
    private final AtomicLong tradeIds = new AtomicLong(1_000_000);
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final Map<String, Series> trades = new ConcurrentHashMap<>();
    private final Map<String, Series> quotes = new ConcurrentHashMap<>();
    private final AtomicLong ordinals = new AtomicLong();
    private final Set<String> listed = ConcurrentHashMap.newKeySet();

    /** A market that keeps {@link #DEFAULT_MAX_PER_TICKER} events per ticker and kind. */
    public FakeMarket() {
        this(DEFAULT_MAX_PER_TICKER);
    }

    /**
     * @param maxPerTicker events kept per ticker and kind; the oldest go first
     */
    public FakeMarket(int maxPerTicker) {
        if (maxPerTicker < 1) {
            throw new IllegalArgumentException("maxPerTicker must be at least 1: " + maxPerTicker);
        }
        this.maxPerTicker = maxPerTicker;
    }

    /**
     * Records events; trades and quotes are kept, other kinds ignored (the REST API serves only
     * those two).
     *
     * @param events the events
     */
    public void record(List<? extends MarketEvent> events) {
        for (MarketEvent e : events) {
            if (e instanceof Trade) {
                series(trades, e.symbol()).add(e, ordinals.incrementAndGet(), maxPerTicker);
            } else if (e instanceof Quote) {
                series(quotes, e.symbol()).add(e, ordinals.incrementAndGet(), maxPerTicker);
            }
        }
    }

    /**
     * @param ticker a ticker
     * @return the trades recorded for it, in SIP-time order; a copy
     */
    public List<Trade> trades(String ticker) {
        Series s = trades.get(ticker);
        List<Trade> out = new ArrayList<>();
        if (s != null) {
            for (Entry e : s.copy()) {
                out.add((Trade) e.event());
            }
        }
        return out;
    }

    /**
     * @param ticker a ticker
     * @return the quotes recorded for it, in SIP-time order; a copy
     */
    public List<Quote> quotes(String ticker) {
        Series s = quotes.get(ticker);
        List<Quote> out = new ArrayList<>();
        if (s != null) {
            for (Entry e : s.copy()) {
                out.add((Quote) e.event());
            }
        }
        return out;
    }

    /**
     * @return the tickers that keep trading whether or not a session holds them: every ticker a
     *     session ever held (and the server's universe)
     */
    public Set<String> listed() {
        return Set.copyOf(listed);
    }

    /** Lists a ticker: from now on it trades whether or not a session holds it. */
    void list(String ticker) {
        listed.add(ticker);
    }

    /** The next unique trade id. */
    long nextTradeId() {
        return tradeIds.incrementAndGet();
    }

    /** The next sequence number of a ticker: increasing, with gaps as on the real feed. */
    long nextSequence(String ticker, long step) {
        return sequences.computeIfAbsent(ticker, k -> new AtomicLong()).addAndGet(step);
    }

    /** A ticker's series of one kind ({@code T} or {@code Q}), or {@code null}. */
    Series series(String kind, String ticker) {
        return (kind.equals("T") ? trades : quotes).get(ticker);
    }

    private static Series series(Map<String, Series> map, String ticker) {
        return map.computeIfAbsent(ticker, k -> new Series());
    }

    /** One recorded event with its sort key: SIP time in nanoseconds, then arrival. */
    record Entry(long nanos, long ordinal, MarketEvent event) {
        int compareTo(long otherNanos, long otherOrdinal) {
            int c = Long.compare(nanos, otherNanos);
            return c != 0 ? c : Long.compare(ordinal, otherOrdinal);
        }
    }

    /** One ticker's events of one kind, sorted by (nanos, ordinal). */
    static final class Series {
        private final ArrayList<Entry> entries = new ArrayList<>();

        synchronized void add(MarketEvent e, long ordinal, int max) {
            Entry n = new Entry(e.timestampMillis() * 1_000_000L, ordinal, e);
            int i = entries.size();
            while (i > 0 && entries.get(i - 1).compareTo(n.nanos, n.ordinal) > 0) {
                i--; // a late publish: rare, and near the end
            }
            entries.add(i, n);
            if (entries.size() > max) {
                entries.subList(0, entries.size() - max).clear();
            }
        }

        synchronized List<Entry> copy() {
            return List.copyOf(entries);
        }

        /**
         * The entries whose nanos lie in [gte, lte], in order.
         *
         * @param gte lowest time, inclusive
         * @param lte highest time, inclusive
         */
        synchronized List<Entry> between(long gte, long lte) {
            int from = lowerBound(gte);
            int to = lowerBound(lte == Long.MAX_VALUE ? lte : lte + 1);
            if (lte == Long.MAX_VALUE) {
                to = entries.size();
            }
            return from >= to ? List.of() : List.copyOf(entries.subList(from, to));
        }

        private int lowerBound(long nanos) {
            int lo = 0;
            int hi = entries.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (entries.get(mid).nanos() < nanos) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
