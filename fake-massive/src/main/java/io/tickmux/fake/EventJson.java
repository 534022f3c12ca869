package io.tickmux.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes events and status objects as the Massive feed does: one JSON array per frame. */
final class EventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private EventJson() {}

    static String frame(List<? extends MarketEvent> events) {
        StringWriter w = new StringWriter(events.size() * 160);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (MarketEvent e : events) {
                write(g, e);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static String status(String status, String message) {
        return statuses(List.<String[]>of(new String[] {status, message}));
    }

    static String statuses(List<String[]> statusAndMessage) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (String[] s : statusAndMessage) {
                g.writeStartObject();
                g.writeStringField("ev", "status");
                g.writeStringField("status", s[0]);
                g.writeStringField("message", s[1]);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, MarketEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("ev", e.kind().channel());
        if (e instanceof Trade t) {
            g.writeStringField("sym", t.symbol());
            g.writeNumberField("x", t.exchange());
            if (t.tradeId() != null) {
                g.writeStringField("i", t.tradeId());
            }
            if (t.tape() >= 0) {
                g.writeNumberField("z", t.tape());
            }
            g.writeNumberField("p", t.price());
            g.writeNumberField("s", t.size());
            if (t.decimalSize() != null) {
                g.writeStringField("ds", t.decimalSize());
            }
            if (t.conditions().length > 0) {
                g.writeArrayFieldStart("c");
                for (int c : t.conditions()) {
                    g.writeNumber(c);
                }
                g.writeEndArray();
            }
            g.writeNumberField("t", t.timestamp());
            if (t.participantTimestamp() >= 0) {
                g.writeNumberField("pt", t.participantTimestamp());
            }
            if (t.sequence() >= 0) {
                g.writeNumberField("q", t.sequence());
            }
            if (t.trfId() >= 0) {
                g.writeNumberField("trfi", t.trfId());
            }
            if (t.trfTimestamp() >= 0) {
                g.writeNumberField("trft", t.trfTimestamp());
            }
        } else if (e instanceof Quote q) {
            g.writeStringField("sym", q.symbol());
            g.writeNumberField("bx", q.bidExchange());
            g.writeNumberField("bp", q.bidPrice());
            g.writeNumberField("bs", q.bidSize());
            g.writeNumberField("ax", q.askExchange());
            g.writeNumberField("ap", q.askPrice());
            g.writeNumberField("as", q.askSize());
            if (q.condition() >= 0) {
                g.writeNumberField("c", q.condition());
            }
            if (q.indicators().length > 0) {
                g.writeArrayFieldStart("i");
                for (int i : q.indicators()) {
                    g.writeNumber(i);
                }
                g.writeEndArray();
            }
            g.writeNumberField("t", q.timestamp());
            if (q.sequence() >= 0) {
                g.writeNumberField("q", q.sequence());
            }
            if (q.tape() >= 0) {
                g.writeNumberField("z", q.tape());
            }
        } else if (e instanceof Aggregate a) {
            g.writeStringField("sym", a.symbol());
            g.writeNumberField("v", a.volume());
            g.writeNumberField("av", a.accumulatedVolume());
            g.writeNumberField("op", a.officialOpen());
            g.writeNumberField("vw", a.vwap());
            g.writeNumberField("o", a.open());
            g.writeNumberField("c", a.close());
            g.writeNumberField("h", a.high());
            g.writeNumberField("l", a.low());
            g.writeNumberField("a", a.dayVwap());
            g.writeNumberField("z", a.averageTradeSize());
            g.writeNumberField("s", a.start());
            g.writeNumberField("e", a.end());
            if (a.otc()) {
                g.writeBooleanField("otc", true);
            }
            if (a.decimalVolume() != null) {
                g.writeStringField("dv", a.decimalVolume());
            }
            if (a.decimalAccumulatedVolume() != null) {
                g.writeStringField("dav", a.decimalAccumulatedVolume());
            }
        } else if (e instanceof LimitUpLimitDown l) {
            g.writeStringField("T", l.symbol());
            g.writeNumberField("h", l.upperBand());
            g.writeNumberField("l", l.lowerBand());
            g.writeArrayFieldStart("i");
            for (int i : l.indicators()) {
                g.writeNumber(i);
            }
            g.writeEndArray();
            g.writeNumberField("z", l.tape());
            g.writeNumberField("t", l.timestampNanos());
            g.writeNumberField("q", l.sequence());
        } else if (e instanceof Imbalance n) {
            g.writeStringField("T", n.symbol());
            g.writeNumberField("t", n.timestampNanos());
            g.writeNumberField("at", n.auctionTime());
            if (n.auctionType() != null) {
                g.writeStringField("a", n.auctionType());
            }
            g.writeNumberField("i", n.symbolSequence());
            g.writeNumberField("x", n.exchange());
            g.writeNumberField("o", n.imbalanceQuantity());
            g.writeNumberField("p", n.pairedQuantity());
            g.writeNumberField("b", n.bookClearingPrice());
        } else if (e instanceof FairMarketValue f) {
            g.writeNumberField("fmv", f.value());
            g.writeStringField("sym", f.symbol());
            g.writeNumberField("t", f.timestamp());
        }
        g.writeEndObject();
    }
}
