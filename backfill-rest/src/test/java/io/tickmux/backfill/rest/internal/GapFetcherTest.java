package io.tickmux.backfill.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.backfill.rest.RestBackfillSettings;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Backfill.Outcome;
import io.tickmux.spi.event.Trade;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One gap's fetch against the fake server's REST API over loopback: paging, merging, the budget,
 * 429s and 5xx answers. Waits are recorded instead of slept.
 */
class GapFetcherTest {

    private static final String KEY = "rest-key-0123456789";

    private FakeMassiveServer server;
    private final List<Long> slept = new CopyOnWriteArrayList<>();
    private final long[] fakeNanos = {0};

    /** Records a wait and lets the fake time pass. */
    private void sleep(long nanos) {
        slept.add(nanos);
        fakeNanos[0] += nanos;
    }

    private final long now = System.currentTimeMillis();
    private final long from = now - 60_000;
    private final long to = now - 50_000;

    @BeforeEach
    void start() {
        server =
                FakeMassiveServer.builder()
                        .acceptKeys(KEY)
                        .restApi(true)
                        .restPageSize(4)
                        .build()
                        .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RestBackfillSettings settings(String hocon) {
        return RestBackfillSettings.from(
                ConfigFactory.parseString(
                        "url = \""
                                + server.rest().url()
                                + "\", api-key = \""
                                + KEY
                                + "\", retry.initial-backoff = 10ms\n"
                                + hocon));
    }

    private GapFetcher fetcher(String hocon) {
        return new GapFetcher(
                settings(hocon),
                Clock.systemUTC(),
                HttpClient.newHttpClient(),
                () -> fakeNanos[0],
                this::sleep);
    }

    private static StatusEvent.Gap gap(String symbol, long from, long to) {
        return new StatusEvent.Gap(
                symbol,
                "c1",
                Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to),
                "test",
                Instant.ofEpochMilli(to));
    }

    private static Trade trade(String sym, String id, long ms, long seq) {
        return new Trade(sym, 4, id, 3, 10.5, 100, null, new int[] {12}, ms, ms - 1, seq, -1, -1);
    }

    private static Quote quote(String sym, long ms, long seq) {
        return new Quote(sym, 4, 10.0, 2, 7, 10.1, 3, 1, null, ms, seq, 3);
    }

    /** The manager's side, recording what it is given. */
    static final class Recorder implements BackfillHook.Recovered {
        final List<MarketEvent> got = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        boolean trades = true;
        boolean quotes = true;
        boolean wanted = true;

        @Override
        public int deliver(List<? extends MarketEvent> events) {
            got.addAll(events);
            batches.add(events.size());
            return events.size();
        }

        @Override
        public boolean wanted() {
            return wanted;
        }

        @Override
        public boolean streamed(EventKind kind) {
            return kind == EventKind.TRADE ? trades : quotes;
        }
    }

    @Test
    void pagesThroughTradesAndQuotesAndMergesThemInTimeOrder() throws Exception {
        List<MarketEvent> market = new ArrayList<>();
        market.add(trade("AAPL", "before", from - 1, 1)); // outside the span
        for (int i = 0; i < 10; i++) {
            market.add(trade("AAPL", "t" + i, from + i * 100, 10 + 2 * i));
            market.add(quote("AAPL", from + i * 100 + 50, 11 + 2 * i));
        }
        market.add(trade("AAPL", "edge", to, 40)); // the gap's last millisecond: included
        market.add(trade("AAPL", "after", to + 1, 41)); // outside the span
        market.add(trade("MSFT", "other", from + 10, 1));
        server.publish(market);
        Recorder r = new Recorder();
        BackfillHook.Result result = fetcher("").fill(gap("AAPL", from, to), r);

        assertThat(result.outcome()).isEqualTo(Outcome.FILLED);
        assertThat(result.detail()).isEmpty();
        assertThat(result.pages()).as("11 trades and 10 quotes at 4 a page").isEqualTo(6);
        assertThat(r.got).hasSize(21);
        assertThat(r.got)
                .extracting(MarketEvent::timestampMillis)
                .isSorted()
                .first()
                .isEqualTo(from);
        assertThat(r.got.get(0)).isEqualTo(trade("AAPL", "t0", from, 10));
        assertThat(r.got.get(1)).isEqualTo(quote("AAPL", from + 50, 11));
        assertThat(r.got)
                .filteredOn(Trade.class::isInstance)
                .extracting(e -> ((Trade) e).tradeId())
                .containsExactly(
                        "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "edge");
        assertThat(server.rest().requestLog())
                .first()
                .asString()
                .contains("timestamp.gte=" + from * 1_000_000L)
                .contains("timestamp.lte=" + (to * 1_000_000L + 999_999L))
                .contains("order=asc")
                .contains("limit=50000");
        assertThat(server.rest().requestLog()).noneSatisfy(l -> assertThat(l).contains("apiKey"));
    }

    @Test
    void fetchesOnlyTheChannelsTheTickerStreamedAndConfigured() throws Exception {
        server.publish(List.of(trade("AAPL", "t0", from, 1), quote("AAPL", from + 1, 2)));
        Recorder tradesOnly = new Recorder();
        tradesOnly.quotes = false;
        fetcher("").fill(gap("AAPL", from, to), tradesOnly);
        assertThat(tradesOnly.got).hasSize(1).allMatch(Trade.class::isInstance);
        Recorder r = new Recorder();
        fetcher("channels = [Q]").fill(gap("AAPL", from, to), r);
        assertThat(r.got).hasSize(1).allMatch(Quote.class::isInstance);
    }

    @Test
    void aGapStraddlingAPageBoundaryIsDeliveredWhole() throws Exception {
        server.rest().pageSize(3);
        List<MarketEvent> market = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            market.add(trade("AAPL", "same" + i, from + 500, 10 + i)); // one millisecond
        }
        server.publish(market);
        Recorder r = new Recorder();
        r.quotes = false;
        BackfillHook.Result result = fetcher("").fill(gap("AAPL", from, to), r);
        assertThat(result.pages()).isEqualTo(3);
        assertThat(r.got)
                .extracting(e -> ((Trade) e).tradeId())
                .containsExactly("same0", "same1", "same2", "same3", "same4", "same5", "same6");
    }

    @Test
    void rateLimitsHonourRetryAfterAndServerErrorsBackOffThenTheGapIsFilled() throws Exception {
        server.publish(List.of(trade("AAPL", "t0", from, 1)));
        server.rest().faults().rateLimitNext(1, Duration.ofSeconds(2)).failNext(2, 502);
        Recorder r = new Recorder();
        r.quotes = false;
        BackfillHook.Result result = fetcher("").fill(gap("AAPL", from, to), r);
        assertThat(result.outcome()).isEqualTo(Outcome.FILLED);
        assertThat(r.got).hasSize(1);
        assertThat(server.rest().errors(429)).isEqualTo(1);
        assertThat(server.rest().errors(502)).isEqualTo(2);
        // waits: Retry-After 2 s; then 20 ms and 40 ms of backoff (with up to 20% jitter); the
        // budget itself never waited (100 a minute)
        assertThat(slept).hasSize(3);
        assertThat(slept.get(0)).isEqualTo(2_000_000_000L);
        assertThat(slept.get(1)).isBetween(20_000_000L, 24_000_000L);
        assertThat(slept.get(2)).isBetween(40_000_000L, 48_000_000L);
    }

    @Test
    void aRateLimitStormLeavesTheGapUnfilledAndALaterGapIsStillServed() throws Exception {
        server.publish(List.of(trade("AAPL", "t0", from, 1), trade("MSFT", "m0", from, 1)));
        server.rest().faults().rateLimitNext(3, null);
        GapFetcher f = fetcher("retry.max-attempts = 3");
        Recorder storm = new Recorder();
        storm.quotes = false;
        BackfillHook.Result first = f.fill(gap("AAPL", from, to), storm);
        assertThat(first.outcome()).isEqualTo(Outcome.UNFILLED);
        assertThat(first.detail())
                .isEqualTo("gave up after 3 attempts, the last rate limited (429)");
        assertThat(storm.got).isEmpty();
        Recorder later = new Recorder();
        later.quotes = false;
        assertThat(f.fill(gap("MSFT", from, to), later).outcome()).isEqualTo(Outcome.FILLED);
        assertThat(later.got).hasSize(1);
    }

    @Test
    void aRetryAfterLongerThanTheBudgetEndsTheGapAtOnce() throws Exception {
        server.rest().faults().rateLimitNext(1, Duration.ofSeconds(120));
        Recorder r = new Recorder();
        BackfillHook.Result result = fetcher("").fill(gap("AAPL", from, to), r);
        assertThat(result.outcome()).isEqualTo(Outcome.UNFILLED);
        assertThat(result.detail())
                .isEqualTo(
                        "rate limited (429) with Retry-After 120s, longer than retry.max-backoff"
                                + " PT1M");
        assertThat(server.rest().requests()).isEqualTo(1);
    }

    @Test
    void thePageBudgetStopsALargeGapPartlyFilled() throws Exception {
        List<MarketEvent> market = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            market.add(trade("AAPL", "t" + i, from + i, i + 1));
        }
        server.publish(market);
        Recorder r = new Recorder();
        r.quotes = false;
        BackfillHook.Result result =
                fetcher("budget.max-pages-per-gap = 2").fill(gap("AAPL", from, to), r);
        assertThat(result.outcome()).isEqualTo(Outcome.PARTLY_FILLED);
        assertThat(result.pages()).isEqualTo(2);
        assertThat(result.detail()).isEqualTo("budget.max-pages-per-gap 2 reached");
        assertThat(r.got).hasSize(8);
    }

    @Test
    void tooOldOrTooLargeGapsAreUnfilledWithoutARequest() throws Exception {
        Recorder r = new Recorder();
        BackfillHook.Result old =
                fetcher("budget.max-gap-age = 10s").fill(gap("AAPL", from, to), r);
        assertThat(old.outcome()).isEqualTo(Outcome.UNFILLED);
        assertThat(old.detail())
                .startsWith("too old: the gap ended 5")
                .endsWith("budget.max-gap-age PT10S");
        BackfillHook.Result large =
                fetcher("budget.max-gap-span = 5s").fill(gap("AAPL", from, to), r);
        assertThat(large.detail())
                .isEqualTo(
                        "too large: the gap spans 10000 ms, longer than budget.max-gap-span PT5S");
        assertThat(server.rest().requests()).isZero();
    }

    @Test
    void theKeyInAQueryIsNeverInAReasonAndABadKeySaysWhatToCheck() throws Exception {
        GapFetcher f =
                new GapFetcher(
                        RestBackfillSettings.from(
                                ConfigFactory.parseString(
                                        "url = \""
                                                + server.rest().url()
                                                + "\", api-key = wrong-key-987, auth = query")),
                        Clock.systemUTC(),
                        HttpClient.newHttpClient(),
                        () -> fakeNanos[0],
                        this::sleep);
        BackfillHook.Result r = f.fill(gap("AAPL", from, to), new Recorder());
        assertThat(r.outcome()).isEqualTo(Outcome.UNFILLED);
        assertThat(r.detail())
                .startsWith("refused (401): Unknown API Key; check tickmux.backfill.rest.api-key")
                .doesNotContain("wrong-key-987");
        assertThat(server.rest().requestLog()).first().asString().contains("apiKey=***");
        assertThat(Redact.url("https://x/v3?cursor=a&apiKey=s3cret&b=1"))
                .isEqualTo("https://x/v3?cursor=a&apiKey=***&b=1");
        assertThat(Redact.text("bad key s3cret", "s3cret")).isEqualTo("bad key ***");
    }

    @Test
    void stopsWhenTheTickerIsUnsubscribed() throws Exception {
        server.publish(List.of(trade("AAPL", "t0", from, 1)));
        Recorder r = new Recorder();
        r.wanted = false;
        BackfillHook.Result result = fetcher("").fill(gap("AAPL", from, to), r);
        assertThat(result.outcome()).isEqualTo(Outcome.UNFILLED);
        assertThat(result.detail()).isEqualTo("unsubscribed during the backfill");
    }

    @Test
    void theBudgetWaitsForATokenAndForAPause() throws Exception {
        long[] clock = {0};
        List<Long> waits = new ArrayList<>();
        RequestBudget b =
                new RequestBudget(
                        2,
                        () -> clock[0],
                        n -> {
                            waits.add(n);
                            clock[0] += n;
                        });
        b.acquire();
        b.acquire();
        assertThat(waits).isEmpty();
        b.acquire(); // a third within the minute waits 30 s for a token
        assertThat(waits).containsExactly(30_000_000_000L);
        b.pause(45_000_000_000L);
        assertThat(b.waitNanos()).isEqualTo(45_000_000_000L);
    }
}
