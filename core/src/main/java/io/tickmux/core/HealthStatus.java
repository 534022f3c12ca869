package io.tickmux.core;

import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.backfill.BackfillHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The health of the whole manager at one moment: the seed's {@code get_health_status()}.
 *
 * @param notes notices an operator should see: a configuration fallback, idle connections, plugins
 *     that failed to load; empty when none
 * @param totalConnections connections defined
 * @param connected connections in state CONNECTED
 * @param totalTickers tickers subscribed across all connections
 * @param totalTicks market events received since start
 * @param deliveredTicks market events the tick listener accepted since start: received, minus the
 *     copies and repeats dropped, the events for tickers no longer wanted, those dropped by the
 *     dispatch overflow policy or still queued, and those the listener threw on
 * @param duplicatesDropped copies dropped since start: the second copy while a ticker is on two
 *     sockets, or a repeat of a sequence number a socket already delivered
 * @param unwantedDropped events dropped since start because their ticker was no longer wanted (its
 *     unsubscribe still in flight)
 * @param totalErrors errors across all connections plus listener exceptions
 * @param listenerErrors exceptions thrown by the tick and status listeners
 * @param droppedEvents events dropped by the dispatch overflow policy
 * @param queueDepth events waiting in the dispatch queue
 * @param gaps spans in which a ticker was not covered, reported as gap events, since start
 * @param failovers failovers (a lost connection's tickers re-homed) since start
 * @param staleTickers tickers silent much longer than their own rate predicts, at the last check
 * @param connections per connection, in definition order
 * @param uncoveredTickers wanted tickers that no connected socket streams now and that no server
 *     refused: the reason for 503 on readiness
 * @param refusedTickers tickers the server refused (or never acknowledged after every retry), with
 *     the connection and the server's reason; listed problems, not a reason for 503
 * @param backfill how the backfill of gaps is going; {@link BackfillHealth#OFF} without a hook
 */
public record HealthStatus(
        List<String> notes,
        int totalConnections,
        int connected,
        int totalTickers,
        long totalTicks,
        long deliveredTicks,
        long duplicatesDropped,
        long unwantedDropped,
        long totalErrors,
        long listenerErrors,
        long droppedEvents,
        int queueDepth,
        long gaps,
        long failovers,
        int staleTickers,
        List<ConnectionHealth> connections,
        int uncoveredTickers,
        Map<String, String> refusedTickers,
        BackfillHealth backfill) {

    public HealthStatus {
        notes = List.copyOf(notes);
        connections = List.copyOf(connections);
        refusedTickers = Map.copyOf(refusedTickers);
        backfill = backfill == null ? BackfillHealth.OFF : backfill;
    }

    /** A health status without backfill ({@link BackfillHealth#OFF}). */
    public HealthStatus(
            List<String> notes,
            int totalConnections,
            int connected,
            int totalTickers,
            long totalTicks,
            long deliveredTicks,
            long duplicatesDropped,
            long unwantedDropped,
            long totalErrors,
            long listenerErrors,
            long droppedEvents,
            int queueDepth,
            long gaps,
            long failovers,
            int staleTickers,
            List<ConnectionHealth> connections,
            int uncoveredTickers,
            Map<String, String> refusedTickers) {
        this(
                notes,
                totalConnections,
                connected,
                totalTickers,
                totalTicks,
                deliveredTicks,
                duplicatesDropped,
                unwantedDropped,
                totalErrors,
                listenerErrors,
                droppedEvents,
                queueDepth,
                gaps,
                failovers,
                staleTickers,
                connections,
                uncoveredTickers,
                refusedTickers,
                BackfillHealth.OFF);
    }

    /**
     * @param backfill the backfill's health
     * @return a copy with it
     */
    public HealthStatus withBackfill(BackfillHealth backfill) {
        return new HealthStatus(
                notes,
                totalConnections,
                connected,
                totalTickers,
                totalTicks,
                deliveredTicks,
                duplicatesDropped,
                unwantedDropped,
                totalErrors,
                listenerErrors,
                droppedEvents,
                queueDepth,
                gaps,
                failovers,
                staleTickers,
                connections,
                uncoveredTickers,
                refusedTickers,
                backfill);
    }

    /**
     * Whether the feed is ready: at least one connection is connected and every wanted ticker is
     * streamed by a connected socket or was refused by the server. A connection down whose tickers
     * were re-homed, or a refused ticker, leaves it ready (and degraded: see {@link
     * #allConnected()} and {@link #refusedTickers()}).
     *
     * @return {@code true} when nothing wanted is uncovered
     */
    public boolean covered() {
        return uncoveredTickers == 0 && connected > 0;
    }

    /**
     * Whether every connection that is not closed is connected.
     *
     * @return {@code true} when nothing is down
     */
    public boolean allConnected() {
        return connections.stream()
                .filter(c -> c.state() != ConnectionState.CLOSED)
                .allMatch(c -> c.state() == ConnectionState.CONNECTED);
    }

    /**
     * The seed's {@code get_health_status()} shape: {@code total_connections}, {@code connected},
     * {@code total_tickers}, {@code total_ticks}, {@code total_errors} and {@code connections}
     * keyed by id, plus the extra counters.
     *
     * @return an ordered map with snake_case keys, ready for JSON
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_connections", totalConnections);
        m.put("connected", connected);
        m.put("total_tickers", totalTickers);
        m.put("total_ticks", totalTicks);
        m.put("delivered_ticks", deliveredTicks);
        m.put("duplicates_dropped", duplicatesDropped);
        m.put("unwanted_dropped", unwantedDropped);
        m.put("total_errors", totalErrors);
        m.put("listener_errors", listenerErrors);
        m.put("dropped_events", droppedEvents);
        m.put("queue_depth", queueDepth);
        m.put("gaps", gaps);
        m.put("failovers", failovers);
        m.put("stale_tickers", staleTickers);
        m.put("uncovered_tickers", uncoveredTickers);
        m.put("refused_tickers", new TreeMap<>(refusedTickers));
        Map<String, Object> cs = new LinkedHashMap<>();
        for (ConnectionHealth c : connections) {
            cs.put(c.id(), c.toMap());
        }
        m.put("connections", cs);
        m.put("backfill", backfill.toMap());
        m.put("notes", notes);
        return m;
    }
}
