package io.tickmux.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the wire format back into events (Jackson streaming, no tree). Unknown fields are ignored,
 * so a newer writer that adds fields stays readable; a message of another major version is refused.
 *
 * <p>Not thread-safe: one reader per consuming thread.
 */
public final class WireReader {

    private static final JsonFactory JSON = new JsonFactory();
    private final Map<String, Object> f = new HashMap<>();

    /** A payload that is not a wire message this reader understands. */
    public static final class WireFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WireFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param payload a message body
     * @return the message
     * @throws WireFormatException when it is not valid JSON, lacks a required field, or has another
     *     version
     */
    public WireMessage read(byte[] payload) {
        f.clear();
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                f.put(name, value(p, t));
            }
            long version = lng("wire", -1);
            if (version != WireFormat.VERSION) {
                throw new IOException(
                        "wire format version "
                                + version
                                + ", this reader reads "
                                + WireFormat.VERSION);
            }
            WireMessage m = decode(str("ev"));
            long epoch = lng(WireFormat.EPOCH_FIELD, 0);
            if (epoch <= 0) {
                return m;
            }
            return m instanceof WireMessage.Market mk
                    ? new WireMessage.Market(
                            mk.event(), mk.connectionId(), mk.receivedNanos(), epoch)
                    : new WireMessage.Status(((WireMessage.Status) m).event(), epoch);
        } catch (IOException | RuntimeException e) {
            if (e instanceof WireFormatException w) {
                throw w;
            }
            throw new WireFormatException(
                    "not a tickmux wire message: " + e.getMessage() + " (" + preview(payload) + ")",
                    e);
        }
    }

    private static String preview(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
        return payload.length > 120 ? s + "..." : s;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY:
                List<Object> out = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    out.add(value(p, n));
                }
                return out;
            default:
                p.skipChildren();
                return null;
        }
    }

    private WireMessage decode(String ev) throws IOException {
        switch (ev) {
            case "T":
                return market(
                        new Trade(
                                str("sym"),
                                (int) lng("x", -1),
                                optStr("i"),
                                (int) lng("z", -1),
                                dbl("p"),
                                lng("s", 0),
                                optStr("ds"),
                                ints("c"),
                                ms(lng("t", 0)),
                                msOpt(lng("pt", -1)),
                                lng("q", -1),
                                (int) lng("trfi", -1),
                                msOpt(lng("trft", -1))));
            case "Q":
                return market(
                        new Quote(
                                str("sym"),
                                (int) lng("bx", -1),
                                dbl("bp"),
                                lng("bs", 0),
                                (int) lng("ax", -1),
                                dbl("ap"),
                                lng("as", 0),
                                (int) lng("c", -1),
                                ints("i"),
                                ms(lng("t", 0)),
                                lng("q", -1),
                                (int) lng("z", -1)));
            case "A":
            case "AM":
                return market(
                        new Aggregate(
                                str("sym"),
                                ev.equals("AM"),
                                lng("v", 0),
                                lng("av", 0),
                                dbl("op"),
                                dbl("vw"),
                                dbl("o"),
                                dbl("h"),
                                dbl("l"),
                                dbl("c"),
                                dbl("a"),
                                lng("z", 0),
                                ms(lng("s", 0)),
                                ms(lng("e", 0)),
                                Boolean.TRUE.equals(f.get("otc")),
                                optStr("dv"),
                                optStr("dav")));
            case "LULD":
                return market(
                        new LimitUpLimitDown(
                                str("sym"),
                                dbl("h"),
                                dbl("l"),
                                ints("i"),
                                (int) lng("z", -1),
                                lng("t", 0),
                                lng("q", -1)));
            case "NOI":
                return market(
                        new Imbalance(
                                str("sym"),
                                lng("t", 0),
                                (int) lng("at", 0),
                                optStr("a"),
                                lng("i", 0),
                                (int) lng("x", -1),
                                lng("o", 0),
                                lng("p", 0),
                                dbl("b")));
            case "FMV":
                return market(new FairMarketValue(str("sym"), dbl("fmv"), ms(lng("t", 0))));
            case "gap":
                return new WireMessage.Status(
                        new StatusEvent.Gap(
                                str("sym"),
                                str("conn"),
                                instant(lng("from", 0)),
                                instant(lng("to", 0)),
                                str("cause"),
                                at()));
            case "state":
                return new WireMessage.Status(
                        new StatusEvent.ConnectionStateChanged(
                                str("conn"),
                                ConnectionState.valueOf(str("from")),
                                ConnectionState.valueOf(str("to")),
                                str("cause"),
                                at()));
            case "server":
                return new WireMessage.Status(
                        new StatusEvent.ServerStatus(
                                str("conn"), str("status"), optStr("msg"), at()));
            case "refused":
                return new WireMessage.Status(
                        new StatusEvent.SubscriptionRefused(
                                str("sym"), optStr("conn"), str("reason"), at()));
            case "moved":
                List<String> syms = new ArrayList<>();
                for (Object o : list("syms")) {
                    syms.add(String.valueOf(o));
                }
                return new WireMessage.Status(
                        new StatusEvent.TickersMoved(
                                str("from"), str("to"), syms, str("cause"), at()));
            case "stale":
                return new WireMessage.Status(
                        new StatusEvent.Stale(
                                str("sym"),
                                str("conn"),
                                Duration.ofNanos(lng("silent", 0)),
                                Duration.ofNanos(lng("every", 0)),
                                at()));
            case "backfill":
                return new WireMessage.Status(
                        new StatusEvent.Backfill(
                                str("sym"),
                                str("conn"),
                                instant(lng("from", 0)),
                                instant(lng("to", 0)),
                                StatusEvent.Backfill.Outcome.valueOf(str("outcome")),
                                lng("events", 0),
                                lng("dups", 0),
                                (int) lng("pages", 0),
                                Duration.ofNanos(lng("took", 0)),
                                optStr("detail"),
                                at()));
            default:
                throw new IOException("unknown ev '" + ev + "'");
        }
    }

    private WireMessage market(MarketEvent e) {
        String conn = optStr("conn");
        return new WireMessage.Market(e, conn == null ? "" : conn, lng("rx", 0));
    }

    private Instant at() {
        return instant(lng("at", 0));
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }

    private static long msOpt(long nanos) {
        return nanos == -1 ? -1 : nanos / 1_000_000L;
    }

    private String str(String k) throws IOException {
        Object v = f.get(k);
        if (!(v instanceof String s)) {
            throw new IOException("field '" + k + "' missing or not a string");
        }
        return s;
    }

    private String optStr(String k) {
        Object v = f.get(k);
        return v instanceof String s ? s : null;
    }

    private long lng(String k, long absent) {
        Object v = f.get(k);
        return v instanceof Number n ? n.longValue() : absent;
    }

    private double dbl(String k) {
        Object v = f.get(k);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private List<?> list(String k) {
        Object v = f.get(k);
        return v instanceof List<?> l ? l : List.of();
    }

    private int[] ints(String k) {
        List<?> l = list(k);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }
}
