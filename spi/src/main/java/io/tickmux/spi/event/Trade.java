package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trade ({@code T} channel). Optional numeric fields the feed omitted are {@code -1}; optional
 * strings are {@code null}.
 *
 * @param symbol ticker ({@code sym})
 * @param exchange exchange id ({@code x})
 * @param tradeId trade id ({@code i}); a string on the wire
 * @param tape tape: 1 NYSE, 2 AMEX, 3 Nasdaq ({@code z}); {@code -1} when absent
 * @param price price ({@code p})
 * @param size size in shares ({@code s})
 * @param decimalSize size including fractional shares, as sent ({@code ds}); {@code null} when
 *     absent
 * @param conditions trade conditions ({@code c}); an empty array when absent, never {@code null}.
 *     Do not modify: shared with other listeners
 * @param timestamp SIP timestamp, Unix ms ({@code t})
 * @param participantTimestamp participant timestamp, Unix ms ({@code pt}); {@code -1} when absent
 * @param sequence sequence number, increasing per ticker ({@code q}); {@code -1} when absent
 * @param trfId trade reporting facility id ({@code trfi}); {@code -1} when absent
 * @param trfTimestamp TRF timestamp, Unix ms ({@code trft}); {@code -1} when absent
 */
public record Trade(
        String symbol,
        int exchange,
        String tradeId,
        int tape,
        double price,
        long size,
        String decimalSize,
        int[] conditions,
        long timestamp,
        long participantTimestamp,
        long sequence,
        int trfId,
        long trfTimestamp)
        implements MarketEvent {

    private static final int[] NONE = new int[0];

    public Trade {
        requireNonNull(symbol, "symbol is null");
        conditions = conditions == null ? NONE : conditions;
    }

    @Override
    public EventKind kind() {
        return EventKind.TRADE;
    }

    @Override
    public long timestampMillis() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trade t
                && symbol.equals(t.symbol)
                && exchange == t.exchange
                && Objects.equals(tradeId, t.tradeId)
                && tape == t.tape
                && Double.compare(price, t.price) == 0
                && size == t.size
                && Objects.equals(decimalSize, t.decimalSize)
                && Arrays.equals(conditions, t.conditions)
                && timestamp == t.timestamp
                && participantTimestamp == t.participantTimestamp
                && sequence == t.sequence
                && trfId == t.trfId
                && trfTimestamp == t.trfTimestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(symbol, exchange, tradeId, timestamp, sequence);
    }

    @Override
    public String toString() {
        return "Trade[" + symbol + " x=" + exchange + " i=" + tradeId + " p=" + price + " s=" + size
                + " t=" + timestamp + " q=" + sequence + "]";
    }
}
