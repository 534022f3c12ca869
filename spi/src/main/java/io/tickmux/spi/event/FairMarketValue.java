package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

/**
 * A fair market value ({@code FMV} channel, business feeds only).
 *
 * @param symbol ticker ({@code sym})
 * @param value fair market value ({@code fmv})
 * @param timestamp timestamp, Unix ms ({@code t}; the spec says ns but its example is ms)
 */
public record FairMarketValue(String symbol, double value, long timestamp) implements MarketEvent {

    public FairMarketValue {
        requireNonNull(symbol, "symbol is null");
    }

    @Override
    public EventKind kind() {
        return EventKind.FAIR_MARKET_VALUE;
    }

    @Override
    public long timestampMillis() {
        return timestamp;
    }
}
