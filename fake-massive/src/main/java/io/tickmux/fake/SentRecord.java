package io.tickmux.fake;

import io.tickmux.spi.event.MarketEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of what one session was sent: event frames, events per ticker, every event when the
 * server keeps them, and events sent unasked. Thread-safe.
 */
final class SentRecord {

    private final Map<String, Long> perTicker = new HashMap<>();
    private final List<MarketEvent> events = new ArrayList<>();
    private long frames;
    private long unasked;

    /**
     * Records one event frame handed to the socket.
     *
     * @param frame its events
     * @param keep whether to keep the events themselves (they are counted either way)
     */
    synchronized void frame(List<MarketEvent> frame, boolean keep) {
        frames++;
        for (MarketEvent e : frame) {
            perTicker.merge(e.symbol(), 1L, Long::sum);
            if (keep) {
                events.add(e);
            }
        }
    }

    /**
     * @param n events sent whether or not the session held their topics
     */
    synchronized void unasked(int n) {
        unasked += n;
    }

    /**
     * @param ticker a ticker
     * @return its events sent
     */
    synchronized long count(String ticker) {
        return perTicker.getOrDefault(ticker, 0L);
    }

    /**
     * @return every event kept, in order
     */
    synchronized List<MarketEvent> events() {
        return List.copyOf(events);
    }

    /**
     * @return event frames sent
     */
    synchronized long frames() {
        return frames;
    }

    /**
     * @return events sent unasked
     */
    synchronized long unasked() {
        return unasked;
    }
}
