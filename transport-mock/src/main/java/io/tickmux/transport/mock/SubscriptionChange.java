package io.tickmux.transport.mock;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One subscription message a mock connection was sent.
 *
 * @param connectionId the connection
 * @param session which connect of the connection it arrived in (1 for the first)
 * @param subscribe {@code true} for subscribe, {@code false} for unsubscribe
 * @param symbols the tickers, in the order sent
 * @param at when, by the transport's clock
 */
public record SubscriptionChange(
        String connectionId, int session, boolean subscribe, List<String> symbols, Instant at) {
    public SubscriptionChange {
        requireNonNull(connectionId, "connectionId is null");
        symbols = List.copyOf(symbols);
        requireNonNull(at, "at is null");
    }
}
