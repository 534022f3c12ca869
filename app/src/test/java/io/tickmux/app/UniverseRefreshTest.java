package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.universe.UniverseSource;
import io.tickmux.spi.universe.UniverseSourceFactory;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Universe refresh on the mock transport: the union of every connection's tickers decides what is
 * unsubscribed, bad entries are skipped, an unreadable universe keeps its tickers, notes are keyed
 * and replaced, no universe is read under the application's lock, and the source is closed with the
 * application.
 */
class UniverseRefreshTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A universe source the test edits; a value may be a list or an exception to throw. */
    static final class TestSource implements UniverseSource {
        final Map<String, Object> universes = new ConcurrentHashMap<>();
        final AtomicInteger closes = new AtomicInteger();
        volatile String degradation;
        volatile String blockKey;
        volatile List<String> blockAnswer;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        TestSource put(String key, Object value) {
            universes.put(key, value);
            return this;
        }

        /** The next read of {@code key} waits for {@link #release}, then answers {@code answer}. */
        void blockNext(String key, List<String> answer) {
            blockAnswer = answer;
            blockKey = key;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Optional<List<String>> tickers(String key) {
            if (key.equals(blockKey)) {
                blockKey = null;
                entered.countDown();
                try {
                    if (!release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UniverseException("interrupted", e);
                }
                return Optional.of(blockAnswer);
            }
            Object v = universes.get(key);
            if (v instanceof RuntimeException e) {
                throw e;
            }
            return Optional.ofNullable((List<String>) v);
        }

        @Override
        public Optional<String> degradation() {
            return Optional.ofNullable(degradation);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        UniverseSourceFactory factory() {
            TestSource self = this;
            return new UniverseSourceFactory() {
                @Override
                public String name() {
                    return "test";
                }

                @Override
                public UniverseSource create(Config settings) {
                    return self;
                }
            };
        }
    }

    /** A placing router: the routable connection with the fewest tickers. */
    static final class FewestFirst implements RoutingStrategyFactory {
        @Override
        public String name() {
            return "fewest-first";
        }

        @Override
        public RoutingStrategy create(Config settings, RoutingContext context) {
            return new RoutingStrategy() {
                @Override
                public Optional<String> select(
                        TickerView ticker, List<ConnectionView> connections) {
                    return connections.stream()
                            .filter(ConnectionView::canAccept)
                            .min(Comparator.comparingInt(ConnectionView::tickerCount))
                            .map(ConnectionView::id);
                }
            };
        }
    }

    private final MockTransport mock = new MockTransport();

    private Tickmux app(TestSource source, String router, String connections) {
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                "tickmux.routing.strategy = "
                                        + router
                                        + "\ntickmux.app { transport = mock, multi-connection ="
                                        + " true, universes.source = test, connections { "
                                        + connections
                                        + " } }"),
                        Map.of());
        return Tickmux.builder(root)
                .catalogue(
                        Catalogue.of(
                                List.of(new ManualRoutingStrategyFactory(), new FewestFirst()),
                                List.of(mock),
                                List.of(source.factory())))
                .extensions(List.of())
                .build();
    }

    private static final String TWO =
            "1 { enabled = true, universe-key = u1 }, 2 { enabled = true, universe-key = u2 }";

    private static List<String> notes(Tickmux app) {
        return app.manager().healthStatus().notes();
    }

    @Test
    void manualRouterATickerOneConnectionDropsStaysAndMovesToTheOtherThatListsIt()
            throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A", "B")).put("u2", List.of("C"));
        try (Tickmux app = app(src, "manual", TWO)) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            MultiConnectionManager m = app.manager();
            assertThat(m.connectionForTicker("B")).contains("connection_1");

            src.put("u2", List.of("B", "C")); // now both list B
            app.refreshUniverses();
            assertThat(m.connectionForTicker("B")).contains("connection_1");
            // A ticker listed on two connections stays with the first (duplicate-tickers).
            assertThat(app.assignment())
                    .containsEntry("connection_1", List.of("A", "B"))
                    .containsEntry("connection_2", List.of("C"));
            assertThat(notes(app))
                    .filteredOn(n -> n.startsWith("universe refresh: "))
                    .singleElement()
                    .satisfies(
                            n ->
                                    assertThat(n)
                                            .contains("ticker B is listed on connection 1")
                                            .contains("and on connection 2"));

            src.put("u1", List.of("A")); // connection 1 drops B; connection 2 still lists it
            app.refreshUniverses();
            assertThat(notes(app)).noneMatch(n -> n.startsWith("universe refresh: "));
            assertThat(m.connectionForTicker("B")).contains("connection_2");
            assertThat(m.tickersOf("connection_2").orElseThrow()).contains("B", "C");
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(mock.connection("connection_2").serverSubscriptions())
                                        .containsExactlyInAnyOrder("B", "C");
                                assertThat(mock.connection("connection_1").serverSubscriptions())
                                        .containsExactly("A");
                            });

            src.put("u2", List.of("C")); // now nobody lists B
            app.refreshUniverses();
            assertThat(m.connectionForTicker("B")).isEmpty();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    mock.connection("connection_2")
                                                            .serverSubscriptions())
                                            .containsExactly("C"));
        }
    }

    @Test
    void placingRouterATickerOneConnectionDropsStaysWhereTheRouterPutIt() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A", "B")).put("u2", List.of("C"));
        try (Tickmux app = app(src, "fewest-first", TWO)) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            MultiConnectionManager m = app.manager();
            String home = m.connectionForTicker("B").orElseThrow();

            src.put("u2", List.of("B", "C"));
            app.refreshUniverses();
            src.put("u1", List.of("A"));
            app.refreshUniverses();
            assertThat(m.connectionForTicker("B")).contains(home);
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(mock.connection(home).serverSubscriptions())
                                            .contains("B"));

            src.put("u2", List.of("C"));
            app.refreshUniverses();
            assertThat(m.connectionForTicker("B")).isEmpty();
            assertThat(m.connectionForTicker("A")).isPresent();
            assertThat(m.connectionForTicker("C")).isPresent();
        }
    }

    @Test
    void badEntriesAreSkippedWithANoteAndTheRestOfTheRefreshIsApplied() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A")).put("u2", List.of("C"));
        try (Tickmux app = app(src, "manual", TWO)) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            MultiConnectionManager m = app.manager();

            src.put("u1", List.of("A", "AAPL MSFT", "aapl", "*", "OOPS!", "D"));
            src.put("u2", List.of("C", "E"));
            app.refreshUniverses();
            assertThat(m.tickersOf("connection_1").orElseThrow()).containsExactly("A", "D");
            assertThat(m.tickersOf("connection_2").orElseThrow()).containsExactly("C", "E");
            assertThat(notes(app))
                    .filteredOn(n -> n.startsWith("universe 'u1'"))
                    .singleElement()
                    .satisfies(
                            n ->
                                    assertThat(n)
                                            .contains("4 entries skipped")
                                            .contains("'AAPL MSFT'")
                                            .contains("'aapl' is not upper case")
                                            .contains("'*' is a wildcard")
                                            .contains("'OOPS!'"));

            // A source that throws something unexpected for one universe: that universe keeps
            // its tickers, the other is applied.
            src.put("u1", new IllegalStateException("a bug in the source"));
            src.put("u2", List.of("C", "F"));
            app.refreshUniverses();
            assertThat(m.tickersOf("connection_1").orElseThrow()).containsExactly("A", "D");
            assertThat(m.tickersOf("connection_2").orElseThrow()).containsExactly("C", "F");
            assertThat(notes(app))
                    .filteredOn(n -> n.startsWith("universe 'u1'"))
                    .singleElement()
                    .satisfies(
                            n ->
                                    assertThat(n)
                                            .contains("cannot be read")
                                            .contains("a bug in the source"));

            src.put("u1", List.of("A", "D"));
            app.refreshUniverses();
            assertThat(notes(app)).noneMatch(n -> n.startsWith("universe 'u1'"));
        }
    }

    @Test
    void anUnreadableUniverseKeepsItsTickersAndItsNotesAreReplacedNotAppended() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A", "B"));
        try (Tickmux app =
                app(src, "manual", "1 { enabled = true, universe-key = u1, symbols = \"X\" }")) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            MultiConnectionManager m = app.manager();

            src.put("u1", new UniverseSource.UniverseException("the database is down", null));
            for (int i = 1; i <= 3; i++) {
                src.degradation = "universe database down, attempt " + i;
                app.refreshUniverses();
            }
            // Not the direct symbols: the universe exists, it just cannot be read now.
            assertThat(app.assignment()).containsEntry("connection_1", List.of("A", "B"));
            assertThat(m.tickersOf("connection_1").orElseThrow()).containsExactly("A", "B");
            assertThat(notes(app))
                    .filteredOn(n -> n.contains("cannot be read"))
                    .singleElement()
                    .satisfies(
                            n ->
                                    assertThat(n)
                                            .startsWith("universe 'u1' cannot be read")
                                            .contains("the database is down")
                                            .contains("keeps the previous tickers"));
            assertThat(notes(app))
                    .filteredOn(n -> n.startsWith("universe database down"))
                    .containsExactly("universe database down, attempt 3");

            src.degradation = null;
            src.put("u1", List.of("A", "C"));
            app.refreshUniverses();
            assertThat(m.tickersOf("connection_1").orElseThrow()).containsExactly("A", "C");
            assertThat(notes(app))
                    .noneMatch(n -> n.contains("cannot be read"))
                    .noneMatch(n -> n.startsWith("universe database down"));
        }
    }

    @Test
    void aMissingUniverseFallsBackToItsSymbolsWithANoteThatClearsWhenItIsBack() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A"));
        try (Tickmux app =
                app(src, "manual", "1 { enabled = true, universe-key = u1, symbols = \"X\" }")) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            src.universes.remove("u1");
            app.refreshUniverses();
            app.refreshUniverses();
            assertThat(app.manager().tickersOf("connection_1").orElseThrow()).containsExactly("X");
            assertThat(notes(app))
                    .filteredOn(n -> n.startsWith("universe 'u1'"))
                    .containsExactly(
                            "universe 'u1' is not found; connection 1 (primary) uses its direct"
                                    + " symbols");
            src.put("u1", List.of("A", "B"));
            app.refreshUniverses();
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("A", "B");
            assertThat(notes(app)).noneMatch(n -> n.startsWith("universe 'u1'"));
        }
    }

    @Test
    void noUniverseIsReadUnderTheAppsLockAndARefreshInFlightAppliesNothingAfterClose()
            throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A")).put("u2", List.of("C"));
        Tickmux app = app(src, "manual", TWO);
        app.start();
        assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
        src.blockNext("u1", List.of("Z"));
        Thread refresh = new Thread(app::refreshUniverses, "test-refresh");
        refresh.start();
        assertThat(src.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // The refresh is inside the source: the assignment and close must not wait for it.
        CompletableFuture<Map<String, List<String>>> snapshot =
                CompletableFuture.supplyAsync(app::assignment);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(snapshot).isDone());
        assertThat(snapshot.join()).containsEntry("connection_1", List.of("A"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(closing).isDone());
        assertThat(closing).isNotCompletedExceptionally();

        src.release.countDown();
        refresh.join(TIMEOUT.toMillis());
        assertThat(refresh.isAlive()).isFalse();
        assertThat(app.assignment()).containsEntry("connection_1", List.of("A"));
    }

    @Test
    void aSlowerOlderRefreshDoesNotOverwriteANewerOne() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A")).put("u2", List.of("C"));
        try (Tickmux app = app(src, "manual", TWO)) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            src.blockNext("u1", List.of("OLD"));
            Thread slow = new Thread(app::refreshUniverses, "test-slow-refresh");
            slow.start();
            assertThat(src.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            src.put("u1", List.of("NEW"));
            app.refreshUniverses();
            assertThat(app.assignment()).containsEntry("connection_1", List.of("NEW"));
            src.release.countDown();
            slow.join(TIMEOUT.toMillis());
            assertThat(slow.isAlive()).isFalse();
            assertThat(app.assignment()).containsEntry("connection_1", List.of("NEW"));
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("NEW");
        }
    }

    @Test
    void theTimerRefreshesAndClosingTheAppClosesTheSource() throws Exception {
        TestSource src = new TestSource().put("u1", List.of("A"));
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                "tickmux.app { transport = mock, single.universe-key = u1,"
                                        + " universes { source = test, refresh-interval = 50ms } }"),
                        Map.of());
        Tickmux app =
                Tickmux.builder(root)
                        .catalogue(
                                Catalogue.of(
                                        List.of(new ManualRoutingStrategyFactory()),
                                        List.of(mock),
                                        List.of(src.factory())))
                        .extensions(List.of())
                        .build();
        try (app) {
            assertThat(app.settings().refreshInterval()).isEqualTo(Duration.ofMillis(50));
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            src.put("u1", List.of("A", "Q"));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(app.manager().tickersOf("connection_1"))
                                            .contains(List.of("A", "Q")));
            assertThat(src.closes).hasValue(0);
        }
        assertThat(src.closes).hasValue(1);
    }
}
