package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * An NBBO quote ({@code Q} channel). Optional numeric fields the feed omitted are {@code -1}.
 *
 * @param symbol ticker ({@code sym})
 * @param bidExchange bid exchange id ({@code bx})
 * @param bidPrice bid price ({@code bp})
 * @param bidSize bid size ({@code bs})
 * @param askExchange ask exchange id ({@code ax})
 * @param askPrice ask price ({@code ap})
 * @param askSize ask size ({@code as})
 * @param condition quote condition ({@code c}); {@code -1} when absent
 * @param indicators indicators ({@code i}); empty when absent, never {@code null}. Do not modify
 * @param timestamp SIP timestamp, Unix ms ({@code t})
 * @param sequence sequence number ({@code q}); {@code -1} when absent
 * @param tape tape ({@code z}); {@code -1} when absent
 */
public record Quote(
        String symbol,
        int bidExchange,
        double bidPrice,
        long bidSize,
        int askExchange,
        double askPrice,
        long askSize,
        int condition,
        int[] indicators,
        long timestamp,
        long sequence,
        int tape)
        implements MarketEvent {

    private static final int[] NONE = new int[0];

    public Quote {
        requireNonNull(symbol, "symbol is null");
        indicators = indicators == null ? NONE : indicators;
    }

    @Override
    public EventKind kind() {
        return EventKind.QUOTE;
    }

    @Override
    public long timestampMillis() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quote q
                && symbol.equals(q.symbol)
                && bidExchange == q.bidExchange
                && Double.compare(bidPrice, q.bidPrice) == 0
                && bidSize == q.bidSize
                && askExchange == q.askExchange
                && Double.compare(askPrice, q.askPrice) == 0
                && askSize == q.askSize
                && condition == q.condition
                && Arrays.equals(indicators, q.indicators)
                && timestamp == q.timestamp
                && sequence == q.sequence
                && tape == q.tape;
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbol, timestamp, sequence, bidPrice, askPrice);
    }

    @Override
    public String toString() {
        return "Quote[" + symbol + " " + bidSize + "@" + bidPrice + " / " + askSize + "@" + askPrice
                + " t=" + timestamp + " q=" + sequence + "]";
    }
}
