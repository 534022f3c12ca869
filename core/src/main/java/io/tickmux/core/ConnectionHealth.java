package io.tickmux.core;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.tickmux.routing.ConnectionState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of one connection at one moment.
 *
 * @param id connection id
 * @param name connection name
 * @param state life-cycle state
 * @param tickers tickers assigned (desired)
 * @param subscribedTickers tickers the server has acknowledged
 * @param pendingAcks subscribe and unsubscribe requests sent but not yet acknowledged, in tickers
 * @param messages market events received since start
 * @param errors errors on this connection (malformed frames, refusals, failed connects)
 * @param messageRate decaying average of events per second
 * @param lastMessageAgeMillis milliseconds since the last event; {@code -1} when none yet
 * @param reconnects reconnect attempts since start
 * @param evictions {@code max_connections} evictions since start
 * @param lastCause why the connection last changed state; empty at start
 */
public record ConnectionHealth(
        String id,
        String name,
        ConnectionState state,
        int tickers,
        int subscribedTickers,
        int pendingAcks,
        long messages,
        long errors,
        double messageRate,
        long lastMessageAgeMillis,
        long reconnects,
        long evictions,
        String lastCause) {

    /**
     * The seed's per-connection shape ({@code status}, {@code tickers}, {@code messages}, {@code
     * errors}) plus the rest.
     *
     * @return an ordered map with snake_case keys
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", state == ConnectionState.CONNECTED ? "connected" : "disconnected");
        m.put("state", kebab(state));
        m.put("tickers", tickers);
        m.put("subscribed_tickers", subscribedTickers);
        m.put("pending_acks", pendingAcks);
        m.put("messages", messages);
        m.put("errors", errors);
        m.put("message_rate", Math.round(messageRate * 100.0) / 100.0);
        m.put("last_message_age_ms", lastMessageAgeMillis);
        m.put("reconnects", reconnects);
        m.put("evictions", evictions);
        m.put("last_cause", lastCause);
        return m;
    }
}
