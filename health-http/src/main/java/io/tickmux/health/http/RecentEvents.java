package io.tickmux.health.http;

import io.tickmux.routing.config.StrictConfig;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's recent gaps, backfills, failovers and moves: each status event as {@code at},
 * {@code type} (the page colours by it), {@code connection} and one line of {@code text}; newest
 * first, at most {@code recent-events}, the oldest forgotten. Listens to the manager's status
 * events (on its {@code tickmux-status} thread); read by the dashboard feed on another.
 */
final class RecentEvents implements StatusListener {

    private final int capacity;

    /** Newest first; guarded by itself. */
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();

    /**
     * @param capacity how many events are kept ({@code tickmux.http.recent-events})
     */
    RecentEvents(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void onStatus(StatusEvent event) {
        Map<String, Object> m = describe(event);
        synchronized (events) {
            events.addFirst(m);
            while (events.size() > capacity) {
                events.removeLast();
            }
        }
    }

    /**
     * @return the events kept, newest first
     */
    List<Map<String, Object>> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /**
     * @param e a status event
     * @return how the dashboard lists it
     */
    static Map<String, Object> describe(StatusEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        if (e instanceof StatusEvent.ConnectionStateChanged c) {
            m.put("type", "state");
            m.put("connection", c.connectionId());
            m.put("text", kebab(c.from()) + " → " + kebab(c.to()) + ": " + c.cause());
        } else if (e instanceof StatusEvent.TickersMoved t) {
            m.put("type", "moved");
            m.put("connection", t.toConnection());
            m.put(
                    "text",
                    t.symbols().size()
                            + " tickers "
                            + t.fromConnection()
                            + " → "
                            + t.toConnection()
                            + " ("
                            + t.cause()
                            + ")");
        } else if (e instanceof StatusEvent.Gap g) {
            m.put("type", "gap");
            m.put("connection", g.connectionId());
            m.put(
                    "text",
                    "gap " + g.symbol() + " " + g.from() + " … " + g.to() + " (" + g.cause() + ")");
        } else if (e instanceof StatusEvent.SubscriptionRefused r) {
            m.put("type", "refused");
            m.put("connection", r.connectionId());
            m.put("text", r.symbol() + " refused: " + r.reason());
        } else if (e instanceof StatusEvent.Stale st) {
            m.put("type", "gap");
            m.put("connection", st.connectionId());
            m.put("text", st.symbol() + " silent for " + st.silentFor().toSeconds() + " s");
        } else if (e instanceof StatusEvent.Backfill b) {
            m.put("type", "backfill " + kebab(b.outcome()));
            m.put("connection", b.connectionId());
            m.put("text", backfill(b));
        } else if (e instanceof StatusEvent.ServerStatus s) {
            m.put("type", "server");
            m.put("connection", s.connectionId());
            m.put("text", s.status() + ": " + s.message());
        }
        return m;
    }

    private static String backfill(StatusEvent.Backfill b) {
        return "backfill "
                + b.symbol()
                + " "
                + b.from()
                + " … "
                + b.to()
                + ": "
                + kebab(b.outcome())
                + ", "
                + b.events()
                + " events, "
                + b.pages()
                + " pages, "
                + b.took().toMillis()
                + " ms"
                + (b.detail().isEmpty() ? "" : " (" + b.detail() + ")");
    }

    private static String kebab(Enum<?> e) {
        return StrictConfig.kebab(e);
    }
}
