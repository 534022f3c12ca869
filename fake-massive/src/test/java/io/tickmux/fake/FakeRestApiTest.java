package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake server's REST trades and quotes endpoints, over real HTTP on loopback. */
class FakeRestApiTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long MS = 1_000_000L;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeMassiveServer server;

    @BeforeEach
    void start() {
        server =
                FakeMassiveServer.builder()
                        .acceptKeys("k1")
                        .restApi(true)
                        .restPageSize(3)
                        .build()
                        .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Trade trade(String sym, String id, long ms, long seq) {
        return new Trade(sym, 4, id, 3, 10.5, 100, null, new int[] {12}, ms, ms - 1, seq, -1, -1);
    }

    private static Quote quote(String sym, long ms, long seq) {
        return new Quote(sym, 4, 10.0, 2, 7, 10.1, 3, 1, new int[] {604}, ms, seq, 3);
    }

    /** A parsed answer: status code, headers of interest, rows and next_url. */
    record Answer(
            int code,
            String retryAfter,
            List<Map<String, Object>> rows,
            String next,
            String body) {}

    private Answer get(String pathAndQuery, String bearer) throws Exception {
        return getUrl(server.rest().url() + pathAndQuery, bearer);
    }

    private Answer getUrl(String url, String bearer) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        List<Map<String, Object>> rows = new ArrayList<>();
        String next = null;
        try (JsonParser p = JSON.createParser(r.body())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("results")) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        rows.add(object(p));
                    }
                } else if (name.equals("next_url")) {
                    next = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Answer(
                r.statusCode(),
                r.headers().firstValue("Retry-After").orElse(null),
                rows,
                next,
                r.body());
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(p.getLongValue());
                }
                m.put(name, l);
            } else if (t == JsonToken.VALUE_STRING) {
                m.put(name, p.getText());
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                m.put(name, p.getLongValue());
            } else {
                m.put(name, p.getDoubleValue());
            }
        }
        return m;
    }

    @Test
    void answersTradesOfAWindowInMassivesShapeAndPagesThroughNextUrl() throws Exception {
        List<MarketEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(trade("AAPL", "t" + i, 1_000 + i, 10 + i));
        }
        events.add(trade("MSFT", "m0", 1_005, 1));
        server.publish(events);

        Answer first =
                get(
                        "/v3/trades/AAPL?timestamp.gte="
                                + 1_002 * MS
                                + "&timestamp.lte="
                                + 1_008 * MS
                                + "&order=asc&limit=50000&apiKey=k1",
                        null);
        assertThat(first.code()).isEqualTo(200);
        assertThat(first.body()).contains("\"status\":\"OK\"").contains("\"request_id\"");
        assertThat(first.rows()).extracting(r -> r.get("id")).containsExactly("t2", "t3", "t4");
        Map<String, Object> row = first.rows().get(0);
        assertThat(row)
                .containsEntry("exchange", 4L)
                .containsEntry("price", 10.5)
                .containsEntry("size", 100L)
                .containsEntry("sequence_number", 12L)
                .containsEntry("sip_timestamp", 1_002 * MS)
                .containsEntry("participant_timestamp", 1_001 * MS)
                .containsEntry("tape", 3L)
                .containsEntry("conditions", List.of(12L));
        assertThat(first.next())
                .startsWith(server.rest().url() + "/v3/trades/AAPL?cursor=")
                .doesNotContain("k1");

        List<Object> ids = new ArrayList<>();
        first.rows().forEach(r -> ids.add(r.get("id")));
        String next = first.next();
        int pages = 1;
        while (next != null) {
            Answer a = getUrl(next, "k1"); // the key again, as a bearer this time
            assertThat(a.code()).isEqualTo(200);
            a.rows().forEach(r -> ids.add(r.get("id")));
            next = a.next();
            pages++;
        }
        assertThat(ids).containsExactly("t2", "t3", "t4", "t5", "t6", "t7", "t8");
        assertThat(pages).as("7 rows at 3 a page").isEqualTo(3);
    }

    @Test
    void exclusiveBoundsDescendingOrderAndTheClientsLimit() throws Exception {
        List<MarketEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(trade("AAPL", "t" + i, 1_000 + i, 10 + i));
        }
        server.publish(events);
        Answer gtLt =
                get(
                        "/v3/trades/AAPL?timestamp.gt="
                                + 1_001 * MS
                                + "&timestamp.lt="
                                + 1_004 * MS
                                + "&order=asc&apiKey=k1",
                        null);
        assertThat(gtLt.rows()).extracting(r -> r.get("id")).containsExactly("t2", "t3");
        Answer desc = get("/v3/trades/AAPL?limit=2&apiKey=k1", null);
        assertThat(desc.rows()).extracting(r -> r.get("id")).containsExactly("t5", "t4");
        Answer rest = getUrl(desc.next(), "k1");
        assertThat(rest.rows()).extracting(r -> r.get("id")).containsExactly("t3", "t2");
    }

    @Test
    void aPageBoundaryInsideOneMillisecondLosesAndRepeatsNothing() throws Exception {
        List<MarketEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(trade("AAPL", "same" + i, 2_000, 10 + i)); // all in one millisecond
        }
        server.publish(events);
        List<Object> ids = new ArrayList<>();
        Answer a = get("/v3/trades/AAPL?timestamp=" + 2_000 * MS + "&order=asc&apiKey=k1", null);
        a.rows().forEach(r -> ids.add(r.get("id")));
        while (a.next() != null) {
            a = getUrl(a.next() + "&apiKey=k1", null);
            a.rows().forEach(r -> ids.add(r.get("id")));
        }
        assertThat(ids)
                .containsExactly("same0", "same1", "same2", "same3", "same4", "same5", "same6");
    }

    @Test
    void answersQuotesWithTheirConditionsAndIndicators() throws Exception {
        server.publish(List.of(quote("AAPL", 3_000, 5), quote("AAPL", 3_001, 7)));
        Answer a = get("/v3/quotes/AAPL?order=asc&apiKey=k1", null);
        assertThat(a.rows()).hasSize(2);
        assertThat(a.rows().get(1))
                .containsEntry("bid_exchange", 4L)
                .containsEntry("bid_price", 10.0)
                .containsEntry("bid_size", 2L)
                .containsEntry("ask_exchange", 7L)
                .containsEntry("ask_price", 10.1)
                .containsEntry("ask_size", 3L)
                .containsEntry("conditions", List.of(1L))
                .containsEntry("indicators", List.of(604L))
                .containsEntry("sequence_number", 7L)
                .containsEntry("sip_timestamp", 3_001 * MS)
                .containsEntry("tape", 3L);
    }

    @Test
    void theGeneratorTradesTheUniverseWhetherOrNotASessionHoldsIt() {
        server.generateOnce();
        server.generateOnce();
        assertThat(server.market().trades("AAPL")).hasSize(2);
        assertThat(server.market().quotes("NVDA")).hasSize(2);
        assertThat(server.market().trades("AAPL").get(0).tradeId())
                .isNotEqualTo(server.market().trades("AAPL").get(1).tradeId());
    }

    @Test
    void refusesAMissingOrUnknownKeyAndBadParametersWithMassivesErrorShape() throws Exception {
        Answer none = get("/v3/trades/AAPL", null);
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.body()).contains("\"status\":\"ERROR\"").contains("not provided");
        assertThat(get("/v3/trades/AAPL?apiKey=nope", null).code()).isEqualTo(401);
        assertThat(get("/v3/trades/AAPL", "nope").code()).isEqualTo(401);
        Answer bigLimit = get("/v3/trades/AAPL?limit=50001&apiKey=k1", null);
        assertThat(bigLimit.code()).isEqualTo(400);
        assertThat(bigLimit.body()).contains("limit must be between 1 and 50000");
        assertThat(get("/v3/trades/AAPL?timestamp.gte=yesterday&apiKey=k1", null).body())
                .contains("timestamp.gte must be a Unix time in nanoseconds");
        assertThat(get("/v3/trades/AAPL?cursor=garbage&apiKey=k1", null).code()).isEqualTo(400);
        assertThat(get("/v3/bars/AAPL?apiKey=k1", null).code()).isEqualTo(404);
        assertThat(server.rest().requestLog())
                .anySatisfy(l -> assertThat(l).contains("apiKey=***"))
                .noneSatisfy(l -> assertThat(l).contains("k1"));
    }

    @Test
    void scriptedRateLimitsAndServerErrorsComeFirstThenData() throws Exception {
        server.publish(List.of(trade("AAPL", "t0", 1_000, 1)));
        server.rest().faults().rateLimitNext(2, Duration.ofMillis(1_500)).failNext(1, 503);
        Answer a = get("/v3/trades/AAPL?apiKey=k1", null);
        assertThat(a.code()).isEqualTo(429);
        assertThat(a.retryAfter()).isEqualTo("2");
        assertThat(a.body()).contains("maximum requests per minute");
        assertThat(get("/v3/trades/AAPL?apiKey=k1", null).code()).isEqualTo(429);
        Answer b = get("/v3/trades/AAPL?apiKey=k1", null);
        assertThat(b.code()).isEqualTo(503);
        assertThat(b.retryAfter()).isNull();
        assertThat(get("/v3/trades/AAPL?apiKey=k1", null).rows()).hasSize(1);
        assertThat(server.rest().errors(429)).isEqualTo(2);
        assertThat(server.rest().errors(503)).isEqualTo(1);
        assertThat(server.rest().faults().injected()).isEqualTo(3);
        assertThatThrownBy(() -> server.rest().faults().failNext(1, 404))
                .hasMessageContaining("500 to 599");
        assertThatThrownBy(() -> server.rest().pageSize(50_001)).hasMessageContaining("50000");
    }

    @Test
    void aRestartedServerGivenTheSameMarketKeepsHistoryAndTradeIdsUnique() {
        server.generateOnce();
        FakeMarket market = server.market();
        String firstId = market.trades("AAPL").get(0).tradeId();
        FakeMassiveServer second =
                FakeMassiveServer.builder().restApi(true).market(market).build().start();
        try {
            second.generateOnce();
            assertThat(second.market().trades("AAPL")).hasSize(2);
            assertThat(second.market().trades("AAPL").get(1).tradeId()).isNotEqualTo(firstId);
        } finally {
            second.close();
        }
        assertThatThrownBy(() -> FakeMassiveServer.builder().build().rest())
                .hasMessageContaining("restApi(true)");
    }
}
