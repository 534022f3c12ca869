package io.tickmux.examples.consumer;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the example keeps: events and gaps per ticker, and the last few gaps. Written by the
 * consumer's delivery thread, read by the report thread; the lock is uncontended but for the report
 * once every few seconds.
 *
 * <p>Its {@link #toBytes() bytes} go into the {@link io.tickmux.consumer.FileCheckpoint} with the
 * stream position, so a restart continues the counts exactly.
 */
final class Tally {

    /** Per ticker: events, gaps. */
    private static final class Counts {
        long events;
        long gaps;
    }

    /** A gap as reported. */
    record Gap(String ticker, Instant from, Instant to, String cause) {}

    private static final int RECENT = 5;

    private final Map<String, Counts> byTicker = new HashMap<>();
    private final Deque<Gap> recent = new ArrayDeque<>();
    private long events;
    private long gaps;
    private long status;

    synchronized void onTick(MarketEvent e) {
        byTicker.computeIfAbsent(e.symbol(), k -> new Counts()).events++;
        events++;
    }

    synchronized void onStatus(StatusEvent s) {
        if (s instanceof StatusEvent.Gap g) {
            byTicker.computeIfAbsent(g.symbol(), k -> new Counts()).gaps++;
            gaps++;
            recent.addLast(new Gap(g.symbol(), g.from(), g.to(), g.cause()));
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        } else {
            status++;
        }
    }

    synchronized long events() {
        return events;
    }

    synchronized long gaps() {
        return gaps;
    }

    synchronized long statusEvents() {
        return status;
    }

    synchronized int tickers() {
        return byTicker.size();
    }

    synchronized long events(String ticker) {
        Counts c = byTicker.get(ticker);
        return c == null ? 0 : c.events;
    }

    synchronized long gaps(String ticker) {
        Counts c = byTicker.get(ticker);
        return c == null ? 0 : c.gaps;
    }

    /** The busiest tickers, most events first (ties by name). */
    synchronized List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        byTicker.forEach((k, v) -> all.add(Map.entry(k, v.events)));
        all.sort(
                Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                        .reversed()
                        .thenComparing(Map.Entry::getKey));
        return all.subList(0, Math.min(n, all.size()));
    }

    synchronized List<Gap> recentGaps() {
        return List.copyOf(recent);
    }

    /**
     * @return the counts as text lines ({@code ticker events gaps}, then {@code # totals}); the gap
     *     list is not kept (it is for the screen)
     */
    synchronized byte[] toBytes() {
        StringBuilder b = new StringBuilder();
        b.append("# ")
                .append(events)
                .append(' ')
                .append(gaps)
                .append(' ')
                .append(status)
                .append('\n');
        byTicker.forEach(
                (k, v) ->
                        b.append(k)
                                .append(' ')
                                .append(v.events)
                                .append(' ')
                                .append(v.gaps)
                                .append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param bytes what {@link #toBytes()} wrote; empty for a fresh tally
     * @return the tally
     * @throws IllegalArgumentException when the bytes are not a tally
     */
    static Tally fromBytes(byte[] bytes) {
        Tally t = new Tally();
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String line : text.lines().toList()) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[0].equals("#")) {
                t.events = Long.parseLong(f[1]);
                t.gaps = Long.parseLong(f[2]);
                t.status = Long.parseLong(f[3]);
            } else if (f.length == 3) {
                Counts c = new Counts();
                c.events = Long.parseLong(f[1]);
                c.gaps = Long.parseLong(f[2]);
                t.byTicker.put(f[0], c);
            } else {
                throw new IllegalArgumentException("not a tally line: " + line);
            }
        }
        return t;
    }
}
