package io.tickmux.backfill.rest.internal;

import io.tickmux.backfill.rest.RestBackfillSettings;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.backfill.BackfillHook.Recovered;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Backfill.Outcome;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gap's backfill: checks it against the budget (span, age), waits out the delay, then pages
 * through the trades and quotes of its span and merges them in time order (at most one page of each
 * held at a time), handing them over in batches. Stops at the page budget, at a failure that
 * retries did not cure, or when the ticker is unsubscribed; the outcome says which.
 */
public final class GapFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(GapFetcher.class);
    private static final int BATCH = 1_000;

    private final RestBackfillSettings s;
    private final Clock clock;
    private final RestClient client;
    private final RequestBudget.Sleeper sleeper;

    /**
     * @param s the settings
     * @param clock wall-clock time
     */
    public GapFetcher(RestBackfillSettings s, Clock clock) {
        this(
                s,
                clock,
                HttpClient.newBuilder()
                        .connectTimeout(s.requestTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                System::nanoTime,
                (RequestBudget.Sleeper) TimeUnit.NANOSECONDS::sleep);
    }

    GapFetcher(
            RestBackfillSettings s,
            Clock clock,
            HttpClient http,
            LongSupplier nanoTime,
            RequestBudget.Sleeper sleeper) {
        this.s = s;
        this.clock = clock;
        this.sleeper = sleeper;
        this.client =
                new RestClient(
                        s,
                        http,
                        new RequestBudget(s.requestsPerMinute(), nanoTime, sleeper),
                        sleeper,
                        () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Fills one gap.
     *
     * @param gap the gap
     * @param out the manager's side
     * @return the outcome
     * @throws InterruptedException when the manager closes meanwhile
     */
    public BackfillHook.Result fill(StatusEvent.Gap gap, Recovered out)
            throws InterruptedException {
        Duration span = Duration.between(gap.from(), gap.to());
        if (span.compareTo(s.maxGapSpan()) > 0) {
            return BackfillHook.Result.unfilled(
                    "too large: the gap spans "
                            + span.toMillis()
                            + " ms, longer than budget.max-gap-span "
                            + s.maxGapSpan());
        }
        long due = gap.to().toEpochMilli() + s.delay().toMillis();
        long wait = due - clock.millis();
        if (wait > 0) {
            sleeper.sleep(wait * 1_000_000L);
        }
        Duration age = Duration.ofMillis(clock.millis() - gap.to().toEpochMilli());
        if (age.compareTo(s.maxGapAge()) > 0) {
            return BackfillHook.Result.unfilled(
                    "too old: the gap ended "
                            + age.toSeconds()
                            + " s ago, longer than budget.max-gap-age "
                            + s.maxGapAge());
        }
        List<Stream> streams = new ArrayList<>(2);
        boolean trades = out.streamed(EventKind.TRADE);
        boolean quotes = out.streamed(EventKind.QUOTE);
        boolean any = trades || quotes;
        long fromNanos = gap.from().toEpochMilli() * 1_000_000L;
        long toNanos = gap.to().toEpochMilli() * 1_000_000L + 999_999L;
        for (EventKind k : List.of(EventKind.TRADE, EventKind.QUOTE)) {
            boolean streamed = k == EventKind.TRADE ? trades : quotes;
            if (s.channels().contains(k) && (streamed || !any)) {
                streams.add(new Stream(k, client.firstUrl(k, gap.symbol(), fromNanos, toNanos)));
            }
        }
        int pages = 0;
        List<MarketEvent> batch = new ArrayList<>();
        String stop = null;
        try {
            merge:
            while (true) {
                for (Stream st : streams) {
                    while (st.exhausted() && st.next != null) {
                        if (!out.wanted()) {
                            stop = "unsubscribed during the backfill";
                            break merge;
                        }
                        if (pages >= s.maxPagesPerGap()) {
                            stop = "budget.max-pages-per-gap " + s.maxPagesPerGap() + " reached";
                            break merge;
                        }
                        RestClient.Result r = client.get(st.next, st.kind, gap.symbol());
                        if (r instanceof RestClient.Failed f) {
                            stop = f.reason();
                            break merge;
                        }
                        PageParser.Page page = ((RestClient.Got) r).page();
                        pages++;
                        st.rows = page.events();
                        st.at = 0;
                        st.next = page.nextUrl();
                        LOG.debug(
                                "backfill {} {}: page {} with {} rows{}",
                                gap.symbol(),
                                st.kind.channel(),
                                pages,
                                page.events().size(),
                                page.nextUrl() == null ? ", the last" : "");
                    }
                }
                Stream first = null;
                for (Stream st : streams) {
                    if (!st.exhausted()
                            && (first == null
                                    || st.head().timestampMillis()
                                            < first.head().timestampMillis())) {
                        first = st;
                    }
                }
                if (first == null) {
                    break; // every stream is exhausted and has no next page
                }
                batch.add(first.head());
                first.at++;
                if (batch.size() >= BATCH) {
                    out.deliver(batch);
                    batch.clear();
                }
            }
        } finally {
            if (!batch.isEmpty()) {
                out.deliver(batch);
            }
        }
        if (stop == null) {
            return BackfillHook.Result.filled(pages);
        }
        return new BackfillHook.Result(
                pages > 0 ? Outcome.PARTLY_FILLED : Outcome.UNFILLED, pages, stop);
    }

    /** One endpoint's rows for the gap, a page at a time. */
    private static final class Stream {
        final EventKind kind;
        String next;
        List<MarketEvent> rows = List.of();
        int at;

        Stream(EventKind kind, String first) {
            this.kind = kind;
            this.next = first;
        }

        boolean exhausted() {
            return at >= rows.size();
        }

        MarketEvent head() {
            return rows.get(at);
        }
    }
}
