package io.tickmux.sink.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The original application's pub/sub payloads (its Sprint 51 publisher; see {@code
 * docs/configuration.md}, "Compatibility mode"): the {@code tick_data} object of {@code
 * tickstock.ticks.{TICKER}} and {@code tickstock.all_ticks}, the raw object of {@code
 * tickstock.data.raw} and the {@code market_tick} object of {@code tickstock:market:ticks}.
 *
 * <p>{@code timestamp} is seconds since the epoch with the event's milliseconds as decimals; prices
 * are JSON numbers; a field that does not apply to the event's kind is {@code null}, so every
 * payload of a channel has the same keys. Not thread-safe: the publishing thread's.
 */
final class CompatPayloads {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final JsonFactory JSON = new JsonFactory();

    private final RedisSinkSettings settings;

    CompatPayloads(RedisSinkSettings settings) {
        this.settings = settings;
    }

    /** Whether the event is published in compatibility mode. */
    boolean publishes(MarketEvent e) {
        return settings.compatKinds().contains(e.kind());
    }

    /**
     * @param e a trade, quote or aggregate
     * @return the {@code tick_data} object
     */
    String tick(MarketEvent e) {
        return write(
                g -> {
                    g.writeStringField("event_type", "tick_data");
                    g.writeStringField("ticker", e.symbol());
                    price(g, "price", price(e));
                    g.writeNumberField("volume", volume(e));
                    timestamp(g, e);
                    g.writeStringField("source", settings.source());
                    g.writeStringField("market_status", marketStatus(e.timestampMillis()));
                });
    }

    /**
     * @param e a trade, quote or aggregate
     * @return the {@code tickstock.data.raw} object
     */
    String raw(MarketEvent e) {
        Aggregate a = e instanceof Aggregate x ? x : null;
        Quote q = e instanceof Quote x ? x : null;
        return write(
                g -> {
                    g.writeStringField("ticker", e.symbol());
                    price(g, "price", price(e));
                    g.writeNumberField("volume", volume(e));
                    timestamp(g, e);
                    g.writeStringField("event_type", e.kind().channel());
                    g.writeStringField("source", settings.source());
                    price(g, "tick_open", a == null ? Double.NaN : a.open());
                    price(g, "tick_high", a == null ? Double.NaN : a.high());
                    price(g, "tick_low", a == null ? Double.NaN : a.low());
                    price(g, "tick_close", a == null ? Double.NaN : a.close());
                    if (a == null) {
                        g.writeNullField("tick_volume");
                    } else {
                        g.writeNumberField("tick_volume", a.volume());
                    }
                    price(g, "tick_vwap", a == null ? Double.NaN : a.vwap());
                    price(g, "bid", q == null ? Double.NaN : q.bidPrice());
                    price(g, "ask", q == null ? Double.NaN : q.askPrice());
                });
    }

    /**
     * @param e a trade, quote or aggregate
     * @return the {@code market_tick} object
     */
    String market(MarketEvent e) {
        return write(
                g -> {
                    g.writeStringField("type", "market_tick");
                    g.writeStringField("symbol", e.symbol());
                    price(g, "price", price(e));
                    g.writeNumberField("volume", volume(e));
                    timestamp(g, e);
                    g.writeStringField("source", settings.source());
                });
    }

    /**
     * A trade's price, a quote's midpoint (its one side when the other is missing), an aggregate's
     * close.
     */
    static double price(MarketEvent e) {
        if (e instanceof Trade t) {
            return t.price();
        }
        if (e instanceof Quote q) {
            if (q.bidPrice() > 0 && q.askPrice() > 0) {
                return (q.bidPrice() + q.askPrice()) / 2;
            }
            return Math.max(q.bidPrice(), q.askPrice());
        }
        return ((Aggregate) e).close();
    }

    /** A trade's size, 0 for a quote, an aggregate's volume. */
    static long volume(MarketEvent e) {
        if (e instanceof Trade t) {
            return t.size();
        }
        if (e instanceof Aggregate a) {
            return a.volume();
        }
        return 0;
    }

    /**
     * The market session at a time, in the words of {@code compat.market-status}.
     *
     * @param millis Unix ms
     * @return e.g. {@code regular}
     */
    String marketStatus(long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(NEW_YORK);
        if (t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return settings.closed();
        }
        int minute = t.getHour() * 60 + t.getMinute();
        if (minute >= 9 * 60 + 30 && minute < 16 * 60) {
            return settings.regular();
        }
        if (minute >= 4 * 60 && minute < 9 * 60 + 30) {
            return settings.preMarket();
        }
        if (minute >= 16 * 60 && minute < 20 * 60) {
            return settings.afterHours();
        }
        return settings.closed();
    }

    private static void timestamp(JsonGenerator g, MarketEvent e) throws IOException {
        g.writeFieldName("timestamp");
        g.writeNumber(BigDecimal.valueOf(e.timestampMillis(), 3));
    }

    private static void price(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
