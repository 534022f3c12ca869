package io.tickmux.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rebalance did.
 *
 * @param moves every ticker that moved, in the order moved; empty when the assignment was already
 *     what the router wanted
 * @param tickersBefore tickers per connection before
 * @param tickersAfter tickers per connection after
 */
public record RebalanceResult(
        List<Move> moves, Map<String, Integer> tickersBefore, Map<String, Integer> tickersAfter) {

    public RebalanceResult {
        moves = List.copyOf(moves);
        tickersBefore = Collections.unmodifiableMap(new LinkedHashMap<>(tickersBefore));
        tickersAfter = Collections.unmodifiableMap(new LinkedHashMap<>(tickersAfter));
    }

    /**
     * The result in the seed's {@code rebalance_connections()} shape.
     *
     * @return {@code moved}, {@code moves} (list of {@code {ticker, from, to}}), {@code before},
     *     {@code after}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("moved", moves.size());
        m.put(
                "moves",
                moves.stream()
                        .map(
                                mv ->
                                        Map.of(
                                                "ticker", mv.symbol(),
                                                "from", mv.fromConnection(),
                                                "to", mv.toConnection()))
                        .toList());
        m.put("before", tickersBefore);
        m.put("after", tickersAfter);
        return m;
    }
}
