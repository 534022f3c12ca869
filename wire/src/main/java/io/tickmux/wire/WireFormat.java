package io.tickmux.wire;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import java.time.Instant;
import java.util.zip.CRC32;

/**
 * The constants of the tickmux wire format and the names derived from an event: its message id (the
 * same event always gets the same id, so a bus's duplicate filter removes repeats) and the token a
 * ticker becomes in a subject or key. The format itself is described in {@code
 * docs/wire-format.md}.
 */
public final class WireFormat {

    /** The format version this library writes and reads. */
    public static final int VERSION = 1;

    /** The header (NATS) or field (Redis) that carries {@link #VERSION}. */
    public static final String VERSION_HEADER = "Tickmux-Wire";

    /** The JetStream header its duplicate window keys on. */
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";

    /** The body field that carries the version too, so a payload is self-describing. */
    public static final String VERSION_FIELD = "wire";

    /**
     * The body field with the publishing gateway's lease epoch (fencing token), added within
     * version 1; absent when the gateway is not part of an active/standby pair.
     */
    public static final String EPOCH_FIELD = "epoch";

    /** The NATS header with the publishing gateway's lease epoch, as the {@code epoch} field. */
    public static final String EPOCH_HEADER = "Tickmux-Epoch";

    private WireFormat() {}

    /**
     * The subject or key token for a ticker: dots (as in {@code BRK.A}) and the characters a NATS
     * subject or a Redis key pattern gives a meaning ({@code * > space}) become {@code _}. The
     * payload always carries the ticker as it is; the token only names where it goes.
     *
     * @param symbol the ticker
     * @return the token, e.g. {@code BRK_A}
     */
    public static String token(String symbol) {
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            if (c == '.' || c == '*' || c == '>' || c <= ' ') {
                StringBuilder b = new StringBuilder(symbol.length());
                for (int j = 0; j < symbol.length(); j++) {
                    char d = symbol.charAt(j);
                    b.append(d == '.' || d == '*' || d == '>' || d <= ' ' ? '_' : d);
                }
                return b.toString();
            }
        }
        return symbol;
    }

    /**
     * The event's identity as a string: trades by ticker, exchange and trade id; quotes by ticker
     * and sequence number; aggregates by ticker and window start; LULD and imbalances by ticker,
     * timestamp and sequence; fair market values by ticker and timestamp. Where the feed omitted
     * the number the identity rests on, the timestamp and a hash of the content stand in.
     *
     * @param e the event
     * @return e.g. {@code T.AAPL.4.71675577320245}
     */
    public static String messageId(MarketEvent e) {
        if (e instanceof Trade t) {
            return t.tradeId() != null
                    ? "T." + t.symbol() + "." + t.exchange() + "." + t.tradeId()
                    : "T." + t.symbol() + "." + t.exchange() + ".t" + t.timestamp() + "." + h(t);
        }
        if (e instanceof Quote q) {
            return q.sequence() >= 0
                    ? "Q." + q.symbol() + "." + q.sequence()
                    : "Q." + q.symbol() + ".t" + q.timestamp() + "." + h(q);
        }
        if (e instanceof Aggregate a) {
            return (a.minute() ? "AM." : "A.") + a.symbol() + "." + a.start();
        }
        if (e instanceof LimitUpLimitDown l) {
            return "LULD." + l.symbol() + "." + l.timestampNanos() + "." + l.sequence();
        }
        if (e instanceof Imbalance n) {
            return "NOI." + n.symbol() + "." + n.timestampNanos() + "." + n.symbolSequence();
        }
        FairMarketValue f = (FairMarketValue) e;
        return "FMV." + f.symbol() + "." + f.timestamp();
    }

    /**
     * A status event's identity: its kind, when it happened and a checksum of its encoded content
     * (the same in every JVM); for a gap, the ticker, connection and span.
     *
     * @param e the event
     * @return e.g. {@code gap.AAPL.connection_1.1767366000000000000.1767366001000000000}
     */
    public static String messageId(StatusEvent e) {
        if (e instanceof StatusEvent.Gap g) {
            return "gap."
                    + g.symbol()
                    + "."
                    + g.connectionId()
                    + "."
                    + nanos(g.from())
                    + "."
                    + nanos(g.to())
                    + "."
                    + Integer.toHexString(g.cause().hashCode());
        }
        CRC32 crc = new CRC32();
        crc.update(new WireWriter().status(e));
        return WireWriter.statusType(e)
                + "."
                + nanos(e.at())
                + "."
                + Long.toHexString(crc.getValue());
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String h(Object o) {
        return Integer.toHexString(o.hashCode());
    }
}
