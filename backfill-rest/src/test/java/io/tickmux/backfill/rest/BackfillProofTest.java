package io.tickmux.backfill.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMarket;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Backfill.Outcome;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.event.Trade;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.massive.MassiveTransportFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proof: with the REST backfill on, a lost connection (aborted under load, muted, or the whole
 * server restarted) loses nothing. Over real sockets, the Massive transport against the fake server
 * and its REST API: every trade and quote the fake market generated for the affected tickers, from
 * each ticker's first delivered event on, reaches the listener exactly once, live or backfilled,
 * and every gap is reported filled. How long filling took is logged.
 */
class BackfillProofTest {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillProofTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * A manager on the Massive transport with the REST backfill, recording live and late events.
     */
    static final class Fixture implements AutoCloseable {
        final RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        final Queue<MarketEvent> live = new ConcurrentLinkedQueue<>();
        final Queue<MarketEvent> backfilled = new ConcurrentLinkedQueue<>();
        final MultiConnectionManager manager;

        Fixture(FakeMassiveServer server, String restUrl, Map<String, String> connectionHocon) {
            Config root =
                    ConfigFactory.parseString(
                                    "tickmux.transport.massive { url = \""
                                            + server.url()
                                            + "\", api-key = k0, channels = [T, Q] }\n"
                                            + "tickmux.core.reconnect { initial-delay = 20ms,"
                                            + " max-delay = 200ms }\n")
                            .withFallback(ConfigFactory.load())
                            .resolve();
            RestBackfillSettings rest =
                    RestBackfillSettings.from(
                            ConfigFactory.parseString(
                                    "url = \""
                                            + restUrl
                                            + "\", api-key = k0, delay = 200ms,"
                                            + " retry.initial-backoff = 20ms,"
                                            + " budget.requests-per-minute = 6000"));
            MultiConnectionManager.Builder b =
                    MultiConnectionManager.builder()
                            .settings(CoreSettings.from(root))
                            .transport(new MassiveTransportFactory())
                            .config(root)
                            .statusListener(status)
                            .backfill(new RestBackfill(rest))
                            .tickListener(
                                    new TickListener() {
                                        @Override
                                        public void onTick(MarketEvent event) {
                                            live.add(event);
                                        }

                                        @Override
                                        public void onBackfill(
                                                MarketEvent event, StatusEvent.Gap gap) {
                                            backfilled.add(event);
                                        }
                                    });
            for (String id : new java.util.TreeSet<>(connectionHocon.keySet())) {
                b.connection(
                        new ConnectionDefinition(
                                id,
                                id,
                                20_000,
                                Set.of(),
                                ConfigFactory.parseString(
                                        "api-key = k" + id + "\n" + connectionHocon.get(id))));
            }
            manager = b.build();
        }

        long liveCount(String ticker) {
            return live.stream().filter(e -> e.symbol().equals(ticker)).count();
        }

        /** Waits until each affected ticker's gap has its backfill outcome. */
        List<StatusEvent.Backfill> awaitOutcomes(List<String> tickers) {
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(outcomes())
                                            .extracting(StatusEvent.Backfill::symbol)
                                            .containsAll(tickers));
            return outcomes();
        }

        List<StatusEvent.Backfill> outcomes() {
            return status.all().stream()
                    .filter(StatusEvent.Backfill.class::isInstance)
                    .map(StatusEvent.Backfill.class::cast)
                    .toList();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private static List<String> tickers(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /**
     * Every trade and quote the market generated for a ticker, from its first delivered one on (the
     * generator trades the universe before anyone subscribes), reached the listener once.
     */
    private static void assertEachDeliveredExactlyOnce(
            FakeMarket market, Fixture f, List<String> affected) {
        Map<Object, Integer> seen = new HashMap<>();
        for (Queue<MarketEvent> q : List.of(f.live, f.backfilled)) {
            for (MarketEvent e : q) {
                seen.merge(key(e), 1, Integer::sum);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        long checked = 0;
        for (String t : affected) {
            long firstTrade = first(f, t, Trade.class);
            long firstQuote = first(f, t, Quote.class);
            for (Trade tr : market.trades(t)) {
                if (tr.sequence() >= firstTrade) {
                    checked++;
                    check(
                            seen,
                            key(tr),
                            t + " trade " + tr.tradeId() + "@" + tr.timestamp(),
                            missing,
                            twice);
                }
            }
            for (Quote q : market.quotes(t)) {
                if (q.sequence() >= firstQuote) {
                    checked++;
                    check(
                            seen,
                            key(q),
                            t + " quote q=" + q.sequence() + "@" + q.timestamp(),
                            missing,
                            twice);
                }
            }
        }
        assertThat(checked).as("events checked").isGreaterThan(affected.size() * 20L);
        assertThat(missing).as("generated, never delivered").isEmpty();
        assertThat(twice).as("delivered twice").isEmpty();
    }

    private static void check(
            Map<Object, Integer> seen,
            Object key,
            String what,
            List<String> missing,
            List<String> twice) {
        int n = seen.getOrDefault(key, 0);
        if (n == 0) {
            missing.add(what);
        } else if (n > 1) {
            twice.add(what + " x" + n);
        }
    }

    private static long first(Fixture f, String ticker, Class<? extends MarketEvent> type) {
        return f.live.stream()
                .filter(e -> e.symbol().equals(ticker) && type.isInstance(e))
                .mapToLong(e -> e instanceof Trade t ? t.sequence() : ((Quote) e).sequence())
                .min()
                .orElseThrow(() -> new AssertionError(ticker + " never delivered live"));
    }

    private static Object key(MarketEvent e) {
        return e instanceof Trade t
                ? t.symbol() + "/T" + t.exchange() + ":" + t.tradeId()
                : e.symbol() + "/Q" + ((Quote) e).sequence();
    }

    private static void report(String scenario, Fixture f, List<StatusEvent.Backfill> outcomes) {
        List<Long> took = outcomes.stream().map(b -> b.took().toMillis()).sorted().toList();
        long gapMs =
                outcomes.stream()
                        .mapToLong(b -> Duration.between(b.from(), b.to()).toMillis())
                        .max()
                        .orElse(0);
        String line =
                String.format(
                        "backfill proof [%s]: %d gaps filled, %d events backfilled (%d dropped as"
                                + " live duplicates), %d pages; longest gap %d ms; filling took"
                                + " p50 %d ms, max %d ms from the hook's start (the fetch starts"
                                + " 200 ms after the gap closed)",
                        scenario,
                        outcomes.size(),
                        outcomes.stream().mapToLong(StatusEvent.Backfill::events).sum(),
                        outcomes.stream().mapToLong(StatusEvent.Backfill::duplicates).sum(),
                        outcomes.stream().mapToLong(StatusEvent.Backfill::pages).sum(),
                        gapMs,
                        took.get(took.size() / 2),
                        took.get(took.size() - 1));
        LOG.info(line);
    }

    @Test
    void anAbortedConnectionUnderLoadLosesNothing() throws Exception {
        List<String> one = tickers("ONE", 10);
        List<String> two = tickers("TWO", 10);
        List<String> three = tickers("THR", 10);
        List<String> all = new ArrayList<>(one);
        all.addAll(two);
        all.addAll(three);
        try (FakeMassiveServer server =
                        FakeMassiveServer.builder()
                                .restApi(true)
                                .restPageSize(40)
                                .universe(all)
                                .build()
                                .start();
                Fixture f =
                        new Fixture(
                                server, server.rest().url(), Map.of("1", "", "2", "", "3", ""))) {
            assertThat(f.manager.connectAll(Map.of("1", one, "2", two, "3", three), TIMEOUT))
                    .isTrue();
            server.startGenerator(100);
            await().atMost(TIMEOUT).until(() -> f.liveCount("TWO0") >= 50);
            server.liveSession("k2").abort();
            await().atMost(TIMEOUT).until(() -> f.outcomes().size() >= 10);
            // The moved tickers stream again before the generator stops.
            long after = f.liveCount("TWO0");
            await().atMost(TIMEOUT).until(() -> f.liveCount("TWO0") >= after + 20);
            server.stopGenerator();
            awaitQuiet(f, server);
            List<StatusEvent.Backfill> outcomes = f.awaitOutcomes(two);
            assertThat(outcomes)
                    .extracting(StatusEvent.Backfill::outcome)
                    .containsOnly(Outcome.FILLED);
            assertThat(outcomes)
                    .extracting(StatusEvent.Backfill::symbol)
                    .containsExactlyInAnyOrderElementsOf(two);
            assertThat(f.backfilled).as("the gap's events were recovered").isNotEmpty();
            assertEachDeliveredExactlyOnce(server.market(), f, all);
            assertThat(f.manager.healthStatus().backfill().filled()).isEqualTo(10);
            report("abort under load", f, outcomes);
        }
    }

    @Test
    void aMutedConnectionLosesNothing() throws Exception {
        List<String> one = tickers("ONE", 5);
        List<String> two = tickers("TWO", 5);
        List<String> all = new ArrayList<>(one);
        all.addAll(two);
        try (FakeMassiveServer server =
                        FakeMassiveServer.builder()
                                .restApi(true)
                                .restPageSize(25)
                                .universe(all)
                                .build()
                                .start();
                Fixture f =
                        new Fixture(
                                server,
                                server.rest().url(),
                                Map.of(
                                        "1",
                                        "",
                                        "2",
                                        "ping-interval = 200ms, read-deadline = 1s"))) {
            assertThat(f.manager.connectAll(Map.of("1", one, "2", two), TIMEOUT)).isTrue();
            server.startGenerator(100);
            await().atMost(TIMEOUT).until(() -> f.liveCount("TWO0") >= 50);
            server.liveSession("k2").mute(true);
            f.status.next(StatusEvent.Gap.class, g -> g.symbol().equals("TWO0"));
            List<StatusEvent.Backfill> outcomes = f.awaitOutcomes(two);
            long after = f.liveCount("TWO0");
            await().atMost(TIMEOUT).until(() -> f.liveCount("TWO0") >= after + 20);
            server.stopGenerator();
            awaitQuiet(f, server);
            assertThat(outcomes)
                    .extracting(StatusEvent.Backfill::outcome)
                    .containsOnly(Outcome.FILLED);
            assertThat(outcomes)
                    .allSatisfy(
                            b ->
                                    assertThat(Duration.between(b.from(), b.to()))
                                            .as("a mute is noticed at the read deadline")
                                            .isGreaterThanOrEqualTo(Duration.ofMillis(900)));
            assertThat(f.backfilled.size()).isGreaterThan(5 * 100); // a second of two channels
            assertEachDeliveredExactlyOnce(server.market(), f, all);
            report("mute", f, outcomes);
        }
    }

    @Test
    void aServerRestartLosesNothing() throws Exception {
        List<String> one = tickers("ONE", 5);
        List<String> two = tickers("TWO", 5);
        List<String> all = new ArrayList<>(one);
        all.addAll(two);
        FakeMarket market = new FakeMarket();
        FakeMassiveServer first =
                FakeMassiveServer.builder()
                        .restApi(true)
                        .restPageSize(30)
                        .universe(all)
                        .market(market)
                        .build()
                        .start();
        int port = first.port();
        int restPort = first.rest().port();
        String restUrl = first.rest().url();
        FakeMassiveServer second = null;
        try (Fixture f = new Fixture(first, restUrl, Map.of("1", "", "2", ""))) {
            assertThat(f.manager.connectAll(Map.of("1", one, "2", two), TIMEOUT)).isTrue();
            first.startGenerator(100);
            await().atMost(TIMEOUT)
                    .until(() -> f.liveCount("TWO0") >= 50 && f.liveCount("ONE0") >= 50);
            first.close();
            second =
                    FakeMassiveServer.builder()
                            .port(port)
                            .restApi(true)
                            .restPort(restPort)
                            .restPageSize(30)
                            .universe(all)
                            .market(market)
                            .build()
                            .start();
            second.startGenerator(100);
            List<StatusEvent.Backfill> outcomes = f.awaitOutcomes(all);
            long after = f.liveCount("TWO0");
            FakeMassiveServer s2 = second;
            await().atMost(TIMEOUT).until(() -> f.liveCount("TWO0") >= after + 20);
            s2.stopGenerator();
            awaitQuiet(f, s2);
            assertThat(outcomes)
                    .extracting(StatusEvent.Backfill::outcome)
                    .containsOnly(Outcome.FILLED);
            assertEachDeliveredExactlyOnce(market, f, all);
            report("server restart", f, outcomes);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * Waits until every event sent on an open session has arrived and no backfill is pending, so
     * nothing already generated can still arrive.
     */
    private static void awaitQuiet(Fixture f, FakeMassiveServer server) {
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Set<Object> got =
                                    f.live.stream()
                                            .map(BackfillProofTest::key)
                                            .collect(Collectors.toSet());
                            List<Object> missing = new ArrayList<>();
                            for (FakeSession s : server.liveSessions()) {
                                for (MarketEvent e : s.sent()) {
                                    if (!got.contains(key(e))) {
                                        missing.add(key(e));
                                    }
                                }
                            }
                            assertThat(missing)
                                    .as("sent on open sessions, not yet received")
                                    .isEmpty();
                            assertThat(f.manager.healthStatus().backfill().queued()).isZero();
                        });
        // Gaps still open (none should be) or a backfill running would show in the outcomes.
        Map<String, Long> gaps = new TreeMap<>();
        f.status.all().stream()
                .filter(StatusEvent.Gap.class::isInstance)
                .forEach(e -> gaps.merge(((StatusEvent.Gap) e).symbol(), 1L, Long::sum));
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Map<String, Long> filled = new LinkedHashMap<>();
                            f.outcomes().forEach(b -> filled.merge(b.symbol(), 1L, Long::sum));
                            assertThat(filled).as("an outcome for every gap").isEqualTo(gaps);
                        });
    }
}
