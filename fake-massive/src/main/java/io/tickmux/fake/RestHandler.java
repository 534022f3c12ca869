package io.tickmux.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Answers {@code GET /v3/trades/{ticker}} and {@code GET /v3/quotes/{ticker}} from a {@link
 * FakeMarket} in Massive's v3 JSON shape ({@code results}, {@code status}, {@code request_id},
 * {@code next_url}), after the key check (an {@code apiKey} parameter or {@code Authorization:
 * Bearer}) and the fault script. Errors are Massive's shape too: {@code {"status": "ERROR",
 * "request_id": ..., "error": ...}}.
 */
final class RestHandler implements HttpHandler {

    private static final JsonFactory JSON = new JsonFactory();

    private final FakeMarket market;
    private final RestFaults faults;
    private final Predicate<String> keyAccepted;
    private final FakeRestApi api;
    private final AtomicLong requestIds = new AtomicLong();

    RestHandler(
            FakeMarket market, RestFaults faults, Predicate<String> keyAccepted, FakeRestApi api) {
        this.market = market;
        this.faults = faults;
        this.keyAccepted = keyAccepted;
        this.api = api;
    }

    @Override
    public void handle(HttpExchange x) throws IOException {
        try (x) {
            String requestId = Long.toString(requestIds.incrementAndGet());
            Map<String, String> params = RestQuery.params(x.getRequestURI().getRawQuery());
            api.received(x.getRequestURI().getPath(), params);
            if (!x.getRequestMethod().equals("GET")) {
                error(x, 405, requestId, "only GET is supported", null);
                return;
            }
            String key = params.get("apiKey");
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (key == null && auth != null && auth.startsWith("Bearer ")) {
                key = auth.substring("Bearer ".length()).trim();
            }
            if (key == null || key.isEmpty()) {
                error(x, 401, requestId, "API Key was not provided", null);
                return;
            }
            if (!keyAccepted.test(key)) {
                error(x, 401, requestId, "Unknown API Key", null);
                return;
            }
            RestFaults.Fault f = faults.next();
            if (f != null) {
                String retryAfter =
                        f.retryAfter() == null
                                ? null
                                : Long.toString(
                                        Math.max(0, (f.retryAfter().toMillis() + 999) / 1000));
                error(
                        x,
                        f.status(),
                        requestId,
                        f.status() == 429
                                ? "You've exceeded the maximum requests per minute, please wait or"
                                        + " upgrade your subscription to continue."
                                : "Internal server error",
                        retryAfter);
                return;
            }
            String path = x.getRequestURI().getPath();
            String kind;
            if (path.startsWith("/v3/trades/")) {
                kind = "T";
            } else if (path.startsWith("/v3/quotes/")) {
                kind = "Q";
            } else {
                error(
                        x,
                        404,
                        requestId,
                        "not found: use /v3/trades/{ticker} or /v3/quotes/{ticker}",
                        null);
                return;
            }
            String ticker = path.substring("/v3/trades/".length());
            if (ticker.isEmpty() || ticker.contains("/")) {
                error(
                        x,
                        404,
                        requestId,
                        "not found: one ticker after /v3/"
                                + (kind.equals("T") ? "trades/" : "quotes/"),
                        null);
                return;
            }
            RestQuery q;
            try {
                q = RestQuery.parse(kind, ticker, params);
            } catch (IllegalArgumentException e) {
                error(x, 400, requestId, e.getMessage(), null);
                return;
            }
            if (!q.kind().equals(kind) || !q.ticker().equals(ticker)) {
                error(x, 400, requestId, "the cursor belongs to another endpoint or ticker", null);
                return;
            }
            answer(x, q, requestId);
        }
    }

    private void answer(HttpExchange x, RestQuery q, String requestId) throws IOException {
        FakeMarket.Series series = market.series(q.kind(), q.ticker());
        List<FakeMarket.Entry> window =
                series == null ? List.of() : series.between(q.gte(), q.lte());
        int page = Math.min(q.limit(), api.pageSize());
        List<FakeMarket.Entry> rows = new ArrayList<>(Math.min(page, window.size()));
        boolean more = false;
        int n = window.size();
        for (int k = 0; k < n; k++) {
            FakeMarket.Entry e = window.get(q.ascending() ? k : n - 1 - k);
            if (q.continued()) {
                int c = e.compareTo(q.afterNanos(), q.afterOrdinal());
                if (q.ascending() ? c <= 0 : c >= 0) {
                    continue;
                }
            }
            if (rows.size() == page) {
                more = true;
                break;
            }
            rows.add(e);
        }
        StringWriter w = new StringWriter(rows.size() * 200 + 200);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (FakeMarket.Entry e : rows) {
                if (e.event() instanceof Trade t) {
                    trade(g, t);
                } else {
                    quote(g, (Quote) e.event());
                }
            }
            g.writeEndArray();
            g.writeStringField("status", "OK");
            g.writeStringField("request_id", requestId);
            if (more) {
                FakeMarket.Entry last = rows.get(rows.size() - 1);
                g.writeStringField(
                        "next_url",
                        api.url()
                                + x.getRequestURI().getPath()
                                + "?cursor="
                                + q.after(last.nanos(), last.ordinal()).cursor());
            }
            g.writeEndObject();
        }
        api.served(rows.size());
        send(x, 200, w.toString(), null);
    }

    private static void trade(JsonGenerator g, Trade t) throws IOException {
        g.writeStartObject();
        if (t.conditions().length > 0) {
            g.writeArrayFieldStart("conditions");
            for (int c : t.conditions()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
        }
        g.writeNumberField("exchange", t.exchange());
        if (t.tradeId() != null) {
            g.writeStringField("id", t.tradeId());
        }
        if (t.participantTimestamp() >= 0) {
            g.writeNumberField("participant_timestamp", t.participantTimestamp() * 1_000_000L);
        }
        g.writeNumberField("price", t.price());
        if (t.sequence() >= 0) {
            g.writeNumberField("sequence_number", t.sequence());
        }
        g.writeNumberField("sip_timestamp", t.timestamp() * 1_000_000L);
        g.writeNumberField("size", t.size());
        if (t.tape() >= 0) {
            g.writeNumberField("tape", t.tape());
        }
        if (t.trfId() >= 0) {
            g.writeNumberField("trf_id", t.trfId());
        }
        if (t.trfTimestamp() >= 0) {
            g.writeNumberField("trf_timestamp", t.trfTimestamp() * 1_000_000L);
        }
        g.writeEndObject();
    }

    private static void quote(JsonGenerator g, Quote q) throws IOException {
        g.writeStartObject();
        g.writeNumberField("ask_exchange", q.askExchange());
        g.writeNumberField("ask_price", q.askPrice());
        g.writeNumberField("ask_size", q.askSize());
        g.writeNumberField("bid_exchange", q.bidExchange());
        g.writeNumberField("bid_price", q.bidPrice());
        g.writeNumberField("bid_size", q.bidSize());
        if (q.condition() >= 0) {
            g.writeArrayFieldStart("conditions");
            g.writeNumber(q.condition());
            g.writeEndArray();
        }
        if (q.indicators().length > 0) {
            g.writeArrayFieldStart("indicators");
            for (int i : q.indicators()) {
                g.writeNumber(i);
            }
            g.writeEndArray();
        }
        if (q.sequence() >= 0) {
            g.writeNumberField("sequence_number", q.sequence());
        }
        g.writeNumberField("sip_timestamp", q.timestamp() * 1_000_000L);
        if (q.tape() >= 0) {
            g.writeNumberField("tape", q.tape());
        }
        g.writeEndObject();
    }

    private void error(
            HttpExchange x, int status, String requestId, String message, String retryAfter)
            throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", "ERROR");
            g.writeStringField("request_id", requestId);
            g.writeStringField("error", message);
            g.writeEndObject();
        }
        api.failed(status);
        send(x, status, w.toString(), retryAfter);
    }

    private static void send(HttpExchange x, int status, String body, String retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            x.getResponseHeaders().set("Retry-After", retryAfter);
        }
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
