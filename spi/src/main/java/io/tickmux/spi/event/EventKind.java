package io.tickmux.spi.event;

/** The kinds of market event, one per stocks channel of the feed. */
public enum EventKind {
    /** A trade, channel {@code T}. */
    TRADE("T"),
    /** An NBBO quote, channel {@code Q}. */
    QUOTE("Q"),
    /** A per-second aggregate bar, channel {@code A}. */
    SECOND_AGGREGATE("A"),
    /** A per-minute aggregate bar, channel {@code AM}. */
    MINUTE_AGGREGATE("AM"),
    /** Limit-up/limit-down bands, channel {@code LULD}. */
    LULD("LULD"),
    /** A net order imbalance, channel {@code NOI}. */
    IMBALANCE("NOI"),
    /** A fair market value, channel {@code FMV}. */
    FAIR_MARKET_VALUE("FMV");

    private final String channel;

    EventKind(String channel) {
        this.channel = channel;
    }

    /**
     * The feed's channel prefix for this kind, as used in subscriptions ({@code T.AAPL}).
     *
     * @return the prefix, e.g. {@code "AM"}
     */
    public String channel() {
        return channel;
    }
}
