package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.util.Arrays;

/**
 * Parses one text frame of the Massive stocks feed with Jackson's streaming parser: no trees, no
 * data binding, no reflection. A frame is a JSON array of objects (a bare object is accepted too);
 * each object is a market event or a status message, fields in any order, optional fields absent.
 *
 * <p>Several wire keys change meaning with the event type ({@code i} is a trade id string, a quote
 * indicator array or an imbalance sequence number; {@code c} is a condition array, a quote
 * condition or an aggregate close), so each is read by its JSON token type into a holder, and the
 * event is built once its {@code ev} is known.
 *
 * <p>Not thread-safe: one parser per connection, used by its read thread.
 */
public final class FrameParser {

    /** Receives what a frame held, in frame order. */
    public interface Sink {
        /**
         * @param event a market event
         */
        void event(MarketEvent event);

        /**
         * @param status the status word
         * @param message the message
         */
        void status(String status, String message);

        /**
         * An object this parser skipped.
         *
         * @param kind {@code unknown-event} or {@code invalid-event}
         * @param detail what it was
         */
        void skipped(String kind, String detail);
    }

    private static final int[] NO_INTS = new int[0];

    private final JsonFactory json;
    private final Fields f = new Fields();

    /** Entries of the ticker table ({@link #symbol}); a power of two. */
    private static final int SYMBOLS = 4096;

    private final String[] symbols = new String[SYMBOLS];
    private int[] scratch = new int[8];

    /**
     * @param json a shared factory
     */
    public FrameParser(JsonFactory json) {
        this.json = json;
    }

    /**
     * Parses a frame into the sink.
     *
     * @param text the frame
     * @param sink receives every object
     * @throws IOException when the frame is not well-formed JSON of the expected shape; objects
     *     before the fault may already have reached the sink
     */
    public void parse(String text, Sink sink) throws IOException {
        try (JsonParser p = json.createParser(text)) {
            frame(p, sink);
        }
    }

    /**
     * Parses a frame from its UTF-8 bytes into the sink, with no {@code String} decoded for the
     * whole frame.
     *
     * @param utf8 holds the frame
     * @param offset where it starts
     * @param length its length in bytes
     * @param sink receives every object
     * @throws IOException when the frame is not well-formed JSON of the expected shape; objects
     *     before the fault may already have reached the sink
     */
    public void parse(byte[] utf8, int offset, int length, Sink sink) throws IOException {
        try (JsonParser p = json.createParser(utf8, offset, length)) {
            frame(p, sink);
        }
    }

    private void frame(JsonParser p, Sink sink) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            object(p, sink);
        } else if (t == JsonToken.START_ARRAY) {
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new JsonParseException(
                            p, "expected an object in the frame array, got " + t);
                }
                object(p, sink);
            }
        } else {
            throw new JsonParseException(p, "a frame must be a JSON array or object, got " + t);
        }
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing content after the frame");
        }
    }

    /** Field holder, reused for every object of every frame. */
    private static final class Fields {
        String ev, sym, ticker, status, message, iStr, dsStr, dvStr, davStr, aStr;
        int[] iArr, cArr;
        boolean hasI, hasC, hasA, otc;
        long iNum, s, t, e, q, v, av, pt, trft, bs, as, at;
        double cNum, aNum, p, o, h, l, vw, op, b, fmv, bp, ap;
        int x, z, trfi, bx, ax;
        boolean hasS, hasT, hasE, hasQ, hasZ, hasX, hasP, hasPt, hasTrfi, hasTrft;

        void reset() {
            ev = sym = ticker = status = message = iStr = dsStr = dvStr = davStr = aStr = null;
            iArr = cArr = null;
            hasI = hasC = hasA = otc = false;
            iNum = s = t = e = q = v = av = pt = trft = bs = as = at = 0;
            cNum = aNum = p = o = h = l = vw = op = b = fmv = bp = ap = 0;
            x = z = trfi = bx = ax = 0;
            hasS = hasT = hasE = hasQ = hasZ = hasX = hasP = hasPt = hasTrfi = hasTrft = false;
        }
    }

    private void object(JsonParser p, Sink sink) throws IOException {
        Fields f = this.f;
        f.reset();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "ev" -> f.ev = eventType(p, v);
                case "sym" -> f.sym = symbol(p, v);
                case "T" -> f.ticker = symbol(p, v);
                case "status" -> f.status = text(p, v);
                case "message" -> f.message = text(p, v);
                case "i" -> {
                    f.hasI = true;
                    if (v == JsonToken.VALUE_STRING) {
                        f.iStr = p.getText();
                    } else if (v == JsonToken.START_ARRAY) {
                        f.iArr = ints(p);
                    } else {
                        f.iNum = p.getValueAsLong();
                    }
                }
                case "c" -> {
                    f.hasC = true;
                    if (v == JsonToken.START_ARRAY) {
                        f.cArr = ints(p);
                    } else {
                        f.cNum = p.getValueAsDouble();
                    }
                }
                case "a" -> {
                    f.hasA = true;
                    if (v == JsonToken.VALUE_STRING) {
                        f.aStr = p.getText();
                    } else {
                        f.aNum = p.getValueAsDouble();
                    }
                }
                case "x" -> {
                    f.x = p.getValueAsInt();
                    f.hasX = true;
                }
                case "z" -> {
                    f.z = p.getValueAsInt();
                    f.hasZ = true;
                }
                case "p" -> {
                    f.p = p.getValueAsDouble();
                    f.hasP = true;
                }
                case "s" -> {
                    f.s = p.getValueAsLong();
                    f.hasS = true;
                }
                case "t" -> {
                    f.t = p.getValueAsLong();
                    f.hasT = true;
                }
                case "e" -> {
                    f.e = p.getValueAsLong();
                    f.hasE = true;
                }
                case "q" -> {
                    f.q = p.getValueAsLong();
                    f.hasQ = true;
                }
                case "pt" -> {
                    f.pt = p.getValueAsLong();
                    f.hasPt = true;
                }
                case "trfi" -> {
                    f.trfi = p.getValueAsInt();
                    f.hasTrfi = true;
                }
                case "trft" -> {
                    f.trft = p.getValueAsLong();
                    f.hasTrft = true;
                }
                case "ds" -> f.dsStr = text(p, v);
                case "dv" -> f.dvStr = text(p, v);
                case "dav" -> f.davStr = text(p, v);
                case "v" -> f.v = p.getValueAsLong();
                case "av" -> f.av = p.getValueAsLong();
                case "op" -> f.op = p.getValueAsDouble();
                case "vw" -> f.vw = p.getValueAsDouble();
                case "o" -> f.o = p.getValueAsDouble();
                case "h" -> f.h = p.getValueAsDouble();
                case "l" -> f.l = p.getValueAsDouble();
                case "b" -> f.b = p.getValueAsDouble();
                case "otc" -> f.otc = v == JsonToken.VALUE_TRUE;
                case "bx" -> f.bx = p.getValueAsInt();
                case "ax" -> f.ax = p.getValueAsInt();
                case "bp" -> f.bp = p.getValueAsDouble();
                case "ap" -> f.ap = p.getValueAsDouble();
                case "bs" -> f.bs = p.getValueAsLong();
                case "as" -> f.as = p.getValueAsLong();
                case "at" -> f.at = p.getValueAsLong();
                case "fmv" -> f.fmv = p.getValueAsDouble();
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "unterminated object");
        }
        emit(sink);
    }

    private void emit(Sink sink) {
        Fields f = this.f;
        if (f.ev == null) {
            sink.skipped("invalid-event", "object without \"ev\"");
            return;
        }
        if (f.ev.equals("status")) {
            sink.status(f.status == null ? "" : f.status, f.message == null ? "" : f.message);
            return;
        }
        String symbol = f.sym != null ? f.sym : f.ticker;
        MarketEvent e;
        switch (f.ev) {
            case "T" -> {
                if (symbol == null || !f.hasT) {
                    invalid(sink, "trade");
                    return;
                }
                e =
                        new Trade(
                                symbol,
                                f.x,
                                f.iStr != null ? f.iStr : f.hasI ? Long.toString(f.iNum) : null,
                                f.hasZ ? f.z : -1,
                                f.p,
                                f.s,
                                f.dsStr,
                                f.cArr == null ? NO_INTS : f.cArr,
                                f.t,
                                f.hasPt ? f.pt : -1,
                                f.hasQ ? f.q : -1,
                                f.hasTrfi ? f.trfi : -1,
                                f.hasTrft ? f.trft : -1);
            }
            case "Q" -> {
                if (symbol == null || !f.hasT) {
                    invalid(sink, "quote");
                    return;
                }
                e =
                        new Quote(
                                symbol,
                                f.bx,
                                f.bp,
                                f.bs,
                                f.ax,
                                f.ap,
                                f.as,
                                f.hasC ? (int) f.cNum : -1,
                                f.iArr == null ? NO_INTS : f.iArr,
                                f.t,
                                f.hasQ ? f.q : -1,
                                f.hasZ ? f.z : -1);
            }
            case "A", "AM" -> {
                if (symbol == null || !f.hasE) {
                    invalid(sink, "aggregate");
                    return;
                }
                e =
                        new Aggregate(
                                symbol,
                                f.ev.equals("AM"),
                                f.v,
                                f.av,
                                f.op,
                                f.vw,
                                f.o,
                                f.h,
                                f.l,
                                f.cNum,
                                f.aNum,
                                f.z,
                                f.s,
                                f.e,
                                f.otc,
                                f.dvStr,
                                f.davStr);
            }
            case "LULD" -> {
                if (symbol == null || !f.hasT) {
                    invalid(sink, "LULD");
                    return;
                }
                e =
                        new LimitUpLimitDown(
                                symbol,
                                f.h,
                                f.l,
                                f.iArr == null ? NO_INTS : f.iArr,
                                f.hasZ ? f.z : -1,
                                f.t,
                                f.hasQ ? f.q : -1);
            }
            case "NOI" -> {
                if (symbol == null || !f.hasT) {
                    invalid(sink, "NOI");
                    return;
                }
                e =
                        new Imbalance(
                                symbol,
                                f.t,
                                (int) f.at,
                                f.aStr,
                                f.iNum,
                                f.x,
                                (long) f.o,
                                (long) f.p,
                                f.b);
            }
            case "FMV" -> {
                if (symbol == null || !f.hasT) {
                    invalid(sink, "FMV");
                    return;
                }
                e = new FairMarketValue(symbol, f.fmv, f.t);
            }
            default -> {
                sink.skipped("unknown-event", "unknown event type \"" + f.ev + "\"");
                return;
            }
        }
        sink.event(e);
    }

    private void invalid(Sink sink, String what) {
        sink.skipped(
                "invalid-event",
                what
                        + " without "
                        + (f.sym == null && f.ticker == null ? "a ticker" : "a timestamp"));
    }

    /** The known event types, so each event's {@code ev} is a shared constant, not a new string. */
    private static final String[] EVENT_TYPES = {
        "T", "Q", "A", "AM", "status", "LULD", "NOI", "FMV"
    };

    private static String eventType(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            for (String known : EVENT_TYPES) {
                if (known.length() == length && matches(known, chars, offset)) {
                    return known;
                }
            }
        }
        return text(p, v);
    }

    /**
     * A ticker as a shared string: the same ticker in the next frame is the same {@code String}
     * (its hash computed once), not a new one per event. A direct-mapped table of {@link #SYMBOLS}
     * entries, so a feed of any number of distinct tickers cannot grow it.
     */
    private String symbol(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return text(p, v);
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        int slot = (h ^ (h >>> 12)) & (SYMBOLS - 1);
        String known = symbols[slot];
        if (known != null && known.length() == length && matches(known, chars, offset)) {
            return known;
        }
        String s = new String(chars, offset, length);
        symbols[slot] = s;
        return s;
    }

    private static boolean matches(String known, char[] chars, int offset) {
        for (int i = 0; i < known.length(); i++) {
            if (known.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isStructStart()) {
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    /** Reads an array of ints into the reused scratch buffer; returns an exact-size copy. */
    private int[] ints(JsonParser p) throws IOException {
        int[] buf = scratch;
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonParseException(p, "unterminated array");
            }
            if (t.isStructStart()) {
                p.skipChildren();
                continue;
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
                scratch = buf;
            }
            buf[n++] = p.getValueAsInt();
        }
        return n == 0 ? NO_INTS : Arrays.copyOf(buf, n);
    }
}
