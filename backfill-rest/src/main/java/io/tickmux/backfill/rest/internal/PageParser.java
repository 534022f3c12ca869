package io.tickmux.backfill.rest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one page of {@code /v3/trades} or {@code /v3/quotes} JSON into the feed's event records:
 * nanosecond timestamps become the feed's milliseconds, absent numbers {@code -1}, a quote's first
 * condition its {@code condition}. Unknown fields are skipped, so a field Massive adds later breaks
 * nothing.
 */
final class PageParser {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long NS_PER_MS = 1_000_000L;

    /** One page: its rows in the order sent, and the next page's URL or {@code null}. */
    record Page(List<MarketEvent> events, String nextUrl) {}

    private PageParser() {}

    /**
     * @param body the response body
     * @param kind what the endpoint returns
     * @param symbol the ticker asked for (rows do not repeat it)
     * @return the page
     * @throws IOException when the body is not the expected JSON
     */
    static Page parse(byte[] body, EventKind kind, String symbol) throws IOException {
        List<MarketEvent> out = new ArrayList<>();
        String next = null;
        String status = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "results" -> {
                        if (t == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        if (t != JsonToken.START_ARRAY) {
                            throw new IOException("results is not an array");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            out.add(kind == EventKind.TRADE ? trade(p, symbol) : quote(p, symbol));
                        }
                    }
                    case "next_url" -> next = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "status" -> status = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        if (status != null && !status.equals("OK") && !status.equals("DELAYED")) {
            throw new IOException("status " + status);
        }
        return new Page(out, next == null || next.isEmpty() ? null : next);
    }

    private static Trade trade(JsonParser p, String symbol) throws IOException {
        int exchange = -1;
        String id = null;
        int tape = -1;
        double price = 0;
        long size = 0;
        int[] conditions = null;
        long sip = -1;
        long participant = -1;
        long sequence = -1;
        int trfId = -1;
        long trf = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "exchange" -> exchange = p.getIntValue();
                case "id" -> id = p.getText();
                case "tape" -> tape = p.getIntValue();
                case "price" -> price = p.getDoubleValue();
                case "size" -> size = (long) p.getDoubleValue();
                case "conditions" -> conditions = ints(p, t);
                case "sip_timestamp" -> sip = p.getLongValue();
                case "participant_timestamp" -> participant = p.getLongValue();
                case "sequence_number" -> sequence = p.getLongValue();
                case "trf_id" -> trfId = p.getIntValue();
                case "trf_timestamp" -> trf = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        if (sip < 0) {
            throw new IOException("a trade without sip_timestamp");
        }
        return new Trade(
                symbol,
                exchange,
                id,
                tape,
                price,
                size,
                null,
                conditions,
                sip / NS_PER_MS,
                participant < 0 ? -1 : participant / NS_PER_MS,
                sequence,
                trfId,
                trf < 0 ? -1 : trf / NS_PER_MS);
    }

    private static Quote quote(JsonParser p, String symbol) throws IOException {
        int bx = -1;
        double bp = 0;
        long bs = 0;
        int ax = -1;
        double ap = 0;
        long as = 0;
        int[] conditions = null;
        int[] indicators = null;
        long sip = -1;
        long sequence = -1;
        int tape = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "bid_exchange" -> bx = p.getIntValue();
                case "bid_price" -> bp = p.getDoubleValue();
                case "bid_size" -> bs = (long) p.getDoubleValue();
                case "ask_exchange" -> ax = p.getIntValue();
                case "ask_price" -> ap = p.getDoubleValue();
                case "ask_size" -> as = (long) p.getDoubleValue();
                case "conditions" -> conditions = ints(p, t);
                case "indicators" -> indicators = ints(p, t);
                case "sip_timestamp" -> sip = p.getLongValue();
                case "sequence_number" -> sequence = p.getLongValue();
                case "tape" -> tape = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        if (sip < 0) {
            throw new IOException("a quote without sip_timestamp");
        }
        return new Quote(
                symbol,
                bx,
                bp,
                bs,
                ax,
                ap,
                as,
                conditions == null || conditions.length == 0 ? -1 : conditions[0],
                indicators,
                sip / NS_PER_MS,
                sequence,
                tape);
    }

    private static int[] ints(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        int[] a = new int[4];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = p.getIntValue();
        }
        return Arrays.copyOf(a, n);
    }
}
