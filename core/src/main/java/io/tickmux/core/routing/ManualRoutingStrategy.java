package io.tickmux.core.routing;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.routing.kit.Connections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in manual strategy: tickers go where configuration (or the caller) puts them. A ticker
 * with a rule goes to its connection while that connection can accept it; any other ticker goes to
 * the connection with the fewest tickers (the first in order on a tie). A rebalance keeps every
 * ticker where it is unless its connection is no longer routable.
 *
 * <p>Deterministic. Not thread-safe on its own; the host serializes calls.
 */
public final class ManualRoutingStrategy implements RoutingStrategy {

    private final Map<String, String> rules;

    /**
     * @param rules ticker symbol to connection id; copied
     */
    public ManualRoutingStrategy(Map<String, String> rules) {
        this.rules = Map.copyOf(rules);
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        String wanted = rules.get(ticker.symbol());
        for (ConnectionView c : connections) {
            if (c.canAccept() && c.id().equals(wanted)) {
                return Optional.of(c.id());
            }
        }
        return Connections.emptiest(connections).map(ConnectionView::id);
    }

    /** Manual placement is never "unbalanced": an automatic rebalance would move nothing. */
    @Override
    public double imbalance(List<ConnectionView> connections) {
        return 0;
    }
}
