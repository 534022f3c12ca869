package io.tickmux.core.internal;

import io.tickmux.routing.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consistent copy of the manager's control state, taken under its lock: what tests and the
 * invariant checker look at. Not part of the public API.
 *
 * @param connections per connection id, in definition order
 * @param tickers per wanted ticker
 * @param socketsHeld sockets counted by the socket budget now
 * @param maxConnections the socket budget
 * @param retiringSockets sockets of removed connections whose close is not yet confirmed
 */
public record ManagerSnapshot(
        Map<String, Connection> connections,
        Map<String, Ticker> tickers,
        int socketsHeld,
        int maxConnections,
        int retiringSockets) {

    /**
     * One connection's subscription ledger.
     *
     * @param state the connection state
     * @param socketHeld whether it holds a socket of the budget
     * @param desired tickers it should carry (owned, mirrored or being moved away)
     * @param sent tickers subscribed on the current socket
     * @param acked tickers the server acknowledged on the current socket
     * @param pending tickers sent and not yet acknowledged
     * @param pendingUnsub tickers whose unsubscribe is not yet acknowledged
     * @param refused tickers the server refused on the current socket, with its reason
     * @param retrying desired tickers held back from the wire until a scheduled retry (an ack timed
     *     out)
     */
    public record Connection(
            ConnectionState state,
            boolean socketHeld,
            Set<String> desired,
            Set<String> sent,
            Set<String> acked,
            Set<String> pending,
            Set<String> pendingUnsub,
            Map<String, String> refused,
            Set<String> retrying) {}

    /**
     * One wanted ticker.
     *
     * @param owner the connection that owns it
     * @param secondary the second connection of a critical ticker, or null
     * @param moveFrom the source of a make-before-break move in progress, or null
     * @param home the connection it was failed over from, or null
     * @param critical whether it is critical (wants a second connection)
     * @param gapOpen whether it is uncovered and a gap is open
     * @param refusedOn connections that refused it as a second connection (not asked again until
     *     they reconnect)
     */
    public record Ticker(
            String owner,
            String secondary,
            String moveFrom,
            String home,
            boolean critical,
            boolean gapOpen,
            Set<String> refusedOn) {

        public Ticker {
            refusedOn = refusedOn == null ? Set.of() : Set.copyOf(refusedOn);
        }
    }

    /**
     * The connections whose server should hold a ticker now.
     *
     * @param symbol the ticker
     * @return owner, secondary and move source, those that are set
     */
    public List<String> holdersOf(String symbol) {
        Ticker t = tickers.get(symbol);
        if (t == null) {
            return List.of();
        }
        ArrayList<String> out = new ArrayList<>(3);
        out.add(t.owner());
        if (t.secondary() != null) {
            out.add(t.secondary());
        }
        if (t.moveFrom() != null) {
            out.add(t.moveFrom());
        }
        return out;
    }
}
