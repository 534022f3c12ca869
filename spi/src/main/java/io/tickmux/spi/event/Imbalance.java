package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

/**
 * A net order imbalance ({@code NOI} channel). The ticker key on the wire is {@code T}.
 *
 * @param symbol ticker ({@code T})
 * @param timestampNanos timestamp, Unix <em>nanoseconds</em> ({@code t})
 * @param auctionTime auction time as hour*100+minute, Eastern ({@code at})
 * @param auctionType auction type, one of {@code O M H C P R} ({@code a}); {@code null} when absent
 * @param symbolSequence symbol sequence ({@code i})
 * @param exchange exchange id ({@code x})
 * @param imbalanceQuantity imbalance quantity ({@code o})
 * @param pairedQuantity paired quantity ({@code p})
 * @param bookClearingPrice book clearing price ({@code b})
 */
public record Imbalance(
        String symbol,
        long timestampNanos,
        int auctionTime,
        String auctionType,
        long symbolSequence,
        int exchange,
        long imbalanceQuantity,
        long pairedQuantity,
        double bookClearingPrice)
        implements MarketEvent {

    public Imbalance {
        requireNonNull(symbol, "symbol is null");
    }

    @Override
    public EventKind kind() {
        return EventKind.IMBALANCE;
    }

    @Override
    public long timestampMillis() {
        return timestampNanos / 1_000_000L;
    }
}
