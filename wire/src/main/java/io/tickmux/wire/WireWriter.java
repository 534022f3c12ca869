package io.tickmux.wire;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Writes events in the wire format (JSON, version {@link WireFormat#VERSION}) into a buffer it
 * reuses: the only allocation per event is the returned array. Timestamps are Unix nanoseconds;
 * optional fields the feed omitted ({@code -1}, {@code null}) are left out.
 *
 * <p>Not thread-safe: one writer per publishing thread.
 */
public final class WireWriter {

    private byte[] buf = new byte[512];
    private int len;

    /**
     * @param e a market event
     * @param connectionId the connection it arrived on
     * @param receivedNanos when the gateway received it, Unix ns
     * @return its JSON
     */
    public byte[] market(MarketEvent e, String connectionId, long receivedNanos) {
        return market(e, connectionId, receivedNanos, 0);
    }

    /**
     * @param e a market event
     * @param connectionId the connection it arrived on
     * @param receivedNanos when the gateway received it, Unix ns
     * @param epoch the publishing gateway's lease epoch ({@code epoch}); 0 writes none
     * @return its JSON
     */
    public byte[] market(MarketEvent e, String connectionId, long receivedNanos, long epoch) {
        begin(e.kind().channel());
        str("sym", e.symbol());
        if (e instanceof Trade t) {
            num("x", t.exchange());
            if (t.tradeId() != null) {
                str("i", t.tradeId());
            }
            opt("z", t.tape());
            dbl("p", t.price());
            num("s", t.size());
            if (t.decimalSize() != null) {
                str("ds", t.decimalSize());
            }
            ints("c", t.conditions());
            num("t", ms(t.timestamp()));
            optMs("pt", t.participantTimestamp());
            opt("q", t.sequence());
            opt("trfi", t.trfId());
            optMs("trft", t.trfTimestamp());
        } else if (e instanceof Quote q) {
            num("bx", q.bidExchange());
            dbl("bp", q.bidPrice());
            num("bs", q.bidSize());
            num("ax", q.askExchange());
            dbl("ap", q.askPrice());
            num("as", q.askSize());
            opt("c", q.condition());
            ints("i", q.indicators());
            num("t", ms(q.timestamp()));
            opt("q", q.sequence());
            opt("z", q.tape());
        } else if (e instanceof Aggregate a) {
            num("v", a.volume());
            num("av", a.accumulatedVolume());
            dbl("op", a.officialOpen());
            dbl("vw", a.vwap());
            dbl("o", a.open());
            dbl("h", a.high());
            dbl("l", a.low());
            dbl("c", a.close());
            dbl("a", a.dayVwap());
            num("z", a.averageTradeSize());
            num("s", ms(a.start()));
            num("e", ms(a.end()));
            if (a.otc()) {
                raw("otc", "true");
            }
            if (a.decimalVolume() != null) {
                str("dv", a.decimalVolume());
            }
            if (a.decimalAccumulatedVolume() != null) {
                str("dav", a.decimalAccumulatedVolume());
            }
        } else if (e instanceof LimitUpLimitDown l) {
            dbl("h", l.upperBand());
            dbl("l", l.lowerBand());
            ints("i", l.indicators());
            opt("z", l.tape());
            num("t", l.timestampNanos());
            opt("q", l.sequence());
        } else if (e instanceof Imbalance n) {
            num("t", n.timestampNanos());
            num("at", n.auctionTime());
            if (n.auctionType() != null) {
                str("a", n.auctionType());
            }
            num("i", n.symbolSequence());
            num("x", n.exchange());
            num("o", n.imbalanceQuantity());
            num("p", n.pairedQuantity());
            dbl("b", n.bookClearingPrice());
        } else if (e instanceof FairMarketValue f) {
            dbl("fmv", f.value());
            num("t", ms(f.timestamp()));
        }
        str("conn", connectionId);
        num("rx", receivedNanos);
        if (epoch > 0) {
            num(WireFormat.EPOCH_FIELD, epoch);
        }
        return end();
    }

    /**
     * @param e a status event
     * @return its JSON
     */
    public byte[] status(StatusEvent e) {
        return status(e, 0);
    }

    /**
     * @param e a status event
     * @param epoch the publishing gateway's lease epoch ({@code epoch}); 0 writes none
     * @return its JSON
     */
    public byte[] status(StatusEvent e, long epoch) {
        begin(statusType(e));
        if (e instanceof StatusEvent.Gap g) {
            str("sym", g.symbol());
            str("conn", g.connectionId());
            num("from", WireFormat.nanos(g.from()));
            num("to", WireFormat.nanos(g.to()));
            str("cause", g.cause());
        } else if (e instanceof StatusEvent.ConnectionStateChanged c) {
            str("conn", c.connectionId());
            str("from", c.from().name());
            str("to", c.to().name());
            str("cause", c.cause());
        } else if (e instanceof StatusEvent.ServerStatus s) {
            str("conn", s.connectionId());
            str("status", s.status());
            str("msg", s.message());
        } else if (e instanceof StatusEvent.SubscriptionRefused r) {
            str("sym", r.symbol());
            str("conn", r.connectionId());
            str("reason", r.reason());
        } else if (e instanceof StatusEvent.TickersMoved m) {
            str("from", m.fromConnection());
            str("to", m.toConnection());
            key("syms");
            append('[');
            for (int i = 0; i < m.symbols().size(); i++) {
                if (i > 0) {
                    append(',');
                }
                quoted(m.symbols().get(i));
            }
            append(']');
            str("cause", m.cause());
        } else if (e instanceof StatusEvent.Stale s) {
            str("sym", s.symbol());
            str("conn", s.connectionId());
            num("silent", nanos(s.silentFor()));
            num("every", nanos(s.expectedEvery()));
        } else if (e instanceof StatusEvent.Backfill b) {
            str("sym", b.symbol());
            str("conn", b.connectionId());
            num("from", WireFormat.nanos(b.from()));
            num("to", WireFormat.nanos(b.to()));
            str("outcome", b.outcome().name());
            num("events", b.events());
            num("dups", b.duplicates());
            num("pages", b.pages());
            num("took", nanos(b.took()));
            str("detail", b.detail());
        }
        num("at", WireFormat.nanos(e.at()));
        if (epoch > 0) {
            num(WireFormat.EPOCH_FIELD, epoch);
        }
        return end();
    }

    /**
     * The {@code ev} of a status event: {@code gap}, {@code state}, {@code server}, {@code
     * refused}, {@code moved}, {@code stale} or {@code backfill}.
     *
     * @param e the event
     * @return its type name
     */
    public static String statusType(StatusEvent e) {
        if (e instanceof StatusEvent.Gap) {
            return "gap";
        }
        if (e instanceof StatusEvent.ConnectionStateChanged) {
            return "state";
        }
        if (e instanceof StatusEvent.ServerStatus) {
            return "server";
        }
        if (e instanceof StatusEvent.SubscriptionRefused) {
            return "refused";
        }
        if (e instanceof StatusEvent.TickersMoved) {
            return "moved";
        }
        if (e instanceof StatusEvent.Backfill) {
            return "backfill";
        }
        return "stale";
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static long nanos(Duration d) {
        return d.getSeconds() * 1_000_000_000L + d.getNano();
    }

    // ------------------------------------------------------------ JSON

    private void begin(String ev) {
        len = 0;
        append('{');
        ascii("\"" + WireFormat.VERSION_FIELD + "\":" + WireFormat.VERSION);
        str("ev", ev);
    }

    private byte[] end() {
        append('}');
        return Arrays.copyOf(buf, len);
    }

    private void key(String k) {
        append(',');
        append('"');
        ascii(k);
        append('"');
        append(':');
    }

    private void num(String k, long v) {
        key(k);
        ascii(Long.toString(v));
    }

    private void opt(String k, long v) {
        if (v != -1) {
            num(k, v);
        }
    }

    private void optMs(String k, long millis) {
        if (millis != -1) {
            num(k, ms(millis));
        }
    }

    private void dbl(String k, double v) {
        key(k);
        ascii(Double.isFinite(v) ? Double.toString(v) : "null");
    }

    private void raw(String k, String v) {
        key(k);
        ascii(v);
    }

    private void ints(String k, int[] v) {
        if (v.length == 0) {
            return;
        }
        key(k);
        append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                append(',');
            }
            ascii(Integer.toString(v[i]));
        }
        append(']');
    }

    private void str(String k, String v) {
        key(k);
        quoted(v);
    }

    private void quoted(String v) {
        append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                append('\\');
                append((byte) c);
            } else if (c < 0x20) {
                ascii(String.format("\\u%04x", (int) c));
            } else if (c < 0x80) {
                append((byte) c);
            } else {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < v.length()) {
                    end++;
                }
                for (byte b : v.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    append(b);
                }
                i = end - 1;
            }
        }
        append('"');
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void append(char c) {
        append((byte) c);
    }

    private void append(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
