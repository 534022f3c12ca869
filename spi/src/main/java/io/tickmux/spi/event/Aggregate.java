package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

/**
 * An aggregate bar: per second ({@code A} channel) or per minute ({@code AM}); the two are field
 * for field identical on the wire.
 *
 * @param symbol ticker ({@code sym})
 * @param minute {@code true} for a per-minute bar ({@code AM}), {@code false} for per-second
 *     ({@code A})
 * @param volume tick volume of the window ({@code v})
 * @param accumulatedVolume today's accumulated volume ({@code av})
 * @param officialOpen today's official opening price ({@code op})
 * @param vwap VWAP of the window ({@code vw})
 * @param open window open ({@code o})
 * @param high window high ({@code h})
 * @param low window low ({@code l})
 * @param close window close ({@code c})
 * @param dayVwap today's VWAP ({@code a})
 * @param averageTradeSize average trade size in the window ({@code z})
 * @param start window start, Unix ms ({@code s})
 * @param end window end, Unix ms ({@code e})
 * @param otc whether the ticker is OTC ({@code otc}; absent means false)
 * @param decimalVolume decimal volume as sent ({@code dv}); {@code null} when absent
 * @param decimalAccumulatedVolume decimal accumulated volume as sent ({@code dav}); {@code null}
 *     when absent
 */
public record Aggregate(
        String symbol,
        boolean minute,
        long volume,
        long accumulatedVolume,
        double officialOpen,
        double vwap,
        double open,
        double high,
        double low,
        double close,
        double dayVwap,
        long averageTradeSize,
        long start,
        long end,
        boolean otc,
        String decimalVolume,
        String decimalAccumulatedVolume)
        implements MarketEvent {

    public Aggregate {
        requireNonNull(symbol, "symbol is null");
    }

    @Override
    public EventKind kind() {
        return minute ? EventKind.MINUTE_AGGREGATE : EventKind.SECOND_AGGREGATE;
    }

    @Override
    public long timestampMillis() {
        return end;
    }
}
