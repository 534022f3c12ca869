package io.tickmux.spi.backfill;

import io.tickmux.spi.event.StatusEvent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the backfill of gaps is going, since start: part of the manager's {@code HealthStatus}.
 *
 * @param enabled whether a {@link BackfillHook} is configured; the counts are zero when not
 * @param filled gaps filled
 * @param partlyFilled gaps partly filled
 * @param unfilled gaps left unfilled (too old, too large, budget spent, source failed, dropped
 *     because the queue was full)
 * @param events recovered events delivered to the listener
 * @param duplicates recovered events dropped because the listener had them live
 * @param pages pages fetched
 * @param queued gaps waiting for the hook
 * @param last the most recent outcome, or {@code null} before the first
 */
public record BackfillHealth(
        boolean enabled,
        long filled,
        long partlyFilled,
        long unfilled,
        long events,
        long duplicates,
        long pages,
        int queued,
        StatusEvent.Backfill last) {

    /** No hook configured. */
    public static final BackfillHealth OFF = new BackfillHealth(false, 0, 0, 0, 0, 0, 0, 0, null);

    /**
     * @return an ordered map with snake_case keys, ready for JSON; {@code last} as its own map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("filled", filled);
        m.put("partly_filled", partlyFilled);
        m.put("unfilled", unfilled);
        m.put("events", events);
        m.put("duplicates", duplicates);
        m.put("pages", pages);
        m.put("queued", queued);
        if (last != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("symbol", last.symbol());
            l.put("connection", last.connectionId());
            l.put("from", last.from().toString());
            l.put("to", last.to().toString());
            l.put("outcome", last.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            l.put("events", last.events());
            l.put("duplicates", last.duplicates());
            l.put("pages", last.pages());
            l.put("took_ms", last.took().toMillis());
            l.put("detail", last.detail());
            l.put("at", last.at().toString());
            m.put("last", l);
        } else {
            m.put("last", null);
        }
        return m;
    }
}
