package io.tickmux.transport.mock;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;

/** Plausible market events for tests, fully determined by their arguments. */
public final class MockEvents {

    private MockEvents() {}

    /**
     * A trade whose id and price derive from its sequence number.
     *
     * @param symbol ticker
     * @param sequence sequence number, also the trade id
     * @param timestampMillis SIP time
     * @return a trade on exchange 4, tape 3
     */
    public static Trade trade(String symbol, long sequence, long timestampMillis) {
        return new Trade(
                symbol,
                4,
                Long.toString(sequence),
                3,
                100.0 + (sequence % 100) / 100.0,
                100,
                null,
                null,
                timestampMillis,
                -1,
                sequence,
                -1,
                -1);
    }

    /**
     * A quote.
     *
     * @param symbol ticker
     * @param sequence sequence number
     * @param timestampMillis SIP time
     * @return a quote one cent wide
     */
    public static Quote quote(String symbol, long sequence, long timestampMillis) {
        double bid = 100.0 + (sequence % 100) / 100.0;
        return new Quote(
                symbol, 4, bid, 2, 7, bid + 0.01, 3, 0, null, timestampMillis, sequence, 3);
    }

    /**
     * A per-minute aggregate ending at the given time.
     *
     * @param symbol ticker
     * @param endMillis window end
     * @return a flat bar of 1,000 shares
     */
    public static Aggregate minuteBar(String symbol, long endMillis) {
        return new Aggregate(
                symbol,
                true,
                1000,
                50_000,
                99.0,
                100.0,
                100.0,
                100.5,
                99.5,
                100.2,
                99.8,
                100,
                endMillis - 60_000,
                endMillis,
                false,
                null,
                null);
    }
}
