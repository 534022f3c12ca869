package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * Limit-up/limit-down price bands ({@code LULD} channel). The ticker key on the wire is {@code T}.
 *
 * @param symbol ticker ({@code T})
 * @param upperBand upper price band ({@code h})
 * @param lowerBand lower price band ({@code l})
 * @param indicators indicators ({@code i}); empty when absent, never {@code null}. Do not modify
 * @param tape tape ({@code z}); {@code -1} when absent
 * @param timestampNanos timestamp, Unix <em>nanoseconds</em> as on the wire ({@code t})
 * @param sequence sequence number ({@code q}); {@code -1} when absent
 */
public record LimitUpLimitDown(
        String symbol,
        double upperBand,
        double lowerBand,
        int[] indicators,
        int tape,
        long timestampNanos,
        long sequence)
        implements MarketEvent {

    private static final int[] NONE = new int[0];

    public LimitUpLimitDown {
        requireNonNull(symbol, "symbol is null");
        indicators = indicators == null ? NONE : indicators;
    }

    @Override
    public EventKind kind() {
        return EventKind.LULD;
    }

    @Override
    public long timestampMillis() {
        return timestampNanos / 1_000_000L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitUpLimitDown l
                && symbol.equals(l.symbol)
                && Double.compare(upperBand, l.upperBand) == 0
                && Double.compare(lowerBand, l.lowerBand) == 0
                && Arrays.equals(indicators, l.indicators)
                && tape == l.tape
                && timestampNanos == l.timestampNanos
                && sequence == l.sequence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbol, timestampNanos, sequence);
    }

    @Override
    public String toString() {
        return "LULD[" + symbol + " " + lowerBand + ".." + upperBand + " t=" + timestampNanos + "]";
    }
}
