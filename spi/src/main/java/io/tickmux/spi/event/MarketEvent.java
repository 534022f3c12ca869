package io.tickmux.spi.event;

/**
 * One market-data event from the feed. Immutable and thread-safe.
 *
 * <p>Listeners switch over the sealed subtypes; a new channel adds a subtype.
 */
public sealed interface MarketEvent
        permits Trade, Quote, Aggregate, LimitUpLimitDown, Imbalance, FairMarketValue {

    /**
     * The ticker symbol, e.g. {@code AAPL} or {@code BRK.A}.
     *
     * @return never {@code null}
     */
    String symbol();

    /**
     * Which channel the event came from.
     *
     * @return never {@code null}
     */
    EventKind kind();

    /**
     * The event time in Unix epoch milliseconds (for LULD and NOI, the nanosecond wire value
     * divided down; for aggregates, the window end).
     *
     * @return milliseconds since the epoch
     */
    long timestampMillis();
}
