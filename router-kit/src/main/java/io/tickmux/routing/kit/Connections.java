package io.tickmux.routing.kit;

import io.tickmux.routing.ConnectionView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Choices among connections that several routers make the same way.
 *
 * <p>Stateless; every method is a pure function of its arguments, so thread-safe.
 */
public final class Connections {

    private Connections() {}

    /**
     * The connection with the fewest tickers among those that {@link ConnectionView#canAccept() can
     * accept} one more; the first in iteration order on a tie.
     *
     * @param connections the candidates, in the host's order (or the router's own)
     * @return the emptiest accepting connection, or empty when none can accept
     */
    public static Optional<ConnectionView> emptiest(Iterable<ConnectionView> connections) {
        ConnectionView best = null;
        for (ConnectionView c : connections) {
            if (c.canAccept() && (best == null || c.tickerCount() < best.tickerCount())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The emptiest accepting connection among the named ones (a tier's or a sector's); the first in
     * the order of {@code ids} on a tie. An id the host does not have is skipped.
     *
     * @param ids the connection ids to choose among, in order of preference on a tie
     * @param byId the host's connections by id (see {@link #byId})
     * @return the emptiest accepting connection of {@code ids}, or empty when none can accept
     */
    public static Optional<ConnectionView> emptiest(
            Iterable<String> ids, Map<String, ConnectionView> byId) {
        ConnectionView best = null;
        for (String id : ids) {
            ConnectionView c = byId.get(id);
            if (c != null
                    && c.canAccept()
                    && (best == null || c.tickerCount() < best.tickerCount())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The connections by id, in the host's order.
     *
     * @param connections the host's connections
     * @return a new map from id to view; a later duplicate id replaces the earlier one
     */
    public static Map<String, ConnectionView> byId(Collection<ConnectionView> connections) {
        Map<String, ConnectionView> byId = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            byId.put(c.id(), c);
        }
        return byId;
    }
}
