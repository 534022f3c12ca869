package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.event.Trade;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each dispatch policy under a slow listener. The listener blocks on the first event until the test
 * releases it, so the queue state at each step is known exactly.
 */
class DispatchPolicyTest {

    /** A listener that records events and blocks on the first one until released. */
    static final class GatedListener implements TickListener {
        final List<MarketEvent> received = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onTick(MarketEvent event) {
            received.add(event);
            threads.add(Thread.currentThread().getName());
            entered.countDown();
            try {
                if (!release.await(2 * TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("test never released the listener");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("listener entered")
                    .isTrue();
        }
    }

    private static List<Trade> trades(String symbol, int from, int to) {
        List<Trade> list = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            list.add(MockEvents.trade(symbol, i, 1_700_000_000_000L + i));
        }
        return list;
    }

    private static List<Long> sequences(List<MarketEvent> events, String symbol) {
        return events.stream()
                .filter(e -> e.symbol().equals(symbol) && e instanceof Trade)
                .map(e -> ((Trade) e).sequence())
                .toList();
    }

    private static ManagerFixture fixture(String dispatch, GatedListener l) throws Exception {
        ManagerFixture f =
                new ManagerFixture("tickmux.core.dispatch { " + dispatch + " }", l, null, "c1");
        f.manager.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT);
        return f;
    }

    @Test
    void directCallsTheListenerOnTheReadThreadAndLosesNothing() throws Exception {
        GatedListener l = new GatedListener();
        try (ManagerFixture f = fixture("mode = direct", l)) {
            MockConnection c1 = f.mock.connection("c1");
            c1.emit(trades("AAPL", 1, 1));
            l.awaitEntered();
            c1.emit(trades("AAPL", 2, 50));
            // The read thread is held by the listener: nothing else was delivered yet.
            assertThat(l.received).hasSize(1);
            l.release.countDown();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(l.received).hasSize(50));
            assertThat(sequences(l.received, "AAPL")).isSorted().hasSize(50);
            assertThat(l.threads).allMatch(t -> t.equals("tickmux-mock-c1"));
            assertThat(f.manager.healthStatus().droppedEvents()).isZero();
        }
    }

    @Test
    void queuedBlockMakesTheReadThreadWaitAndLosesNothing() throws Exception {
        GatedListener l = new GatedListener();
        try (ManagerFixture f = fixture("mode = queued, queue-capacity = 4, overflow = block", l)) {
            MockConnection c1 = f.mock.connection("c1");
            c1.emit(trades("AAPL", 1, 1));
            l.awaitEntered();
            c1.emit(trades("AAPL", 2, 100));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().queueDepth())
                                            .as("queue depth")
                                            .isEqualTo(4));
            l.release.countDown();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(l.received).hasSize(100));
            assertThat(sequences(l.received, "AAPL")).isSorted().hasSize(100);
            assertThat(l.threads).allMatch(t -> t.equals("tickmux-dispatch"));
            assertThat(f.manager.healthStatus().droppedEvents()).isZero();
        }
    }

    @Test
    void queuedDropNewestKeepsTheQueuedEventsAndCountsTheRest() throws Exception {
        GatedListener l = new GatedListener();
        try (ManagerFixture f =
                fixture("mode = queued, queue-capacity = 4, overflow = drop-newest", l)) {
            MockConnection c1 = f.mock.connection("c1");
            c1.emit(trades("AAPL", 1, 1));
            l.awaitEntered();
            c1.emit(trades("AAPL", 2, 20));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().droppedEvents())
                                            .as("dropped events")
                                            .isEqualTo(15));
            l.release.countDown();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(l.received).hasSize(5));
            assertThat(sequences(l.received, "AAPL")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(
                            f.registry
                                    .get("tickmux.dispatch.dropped")
                                    .tag("policy", "drop-newest")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(15.0);
        }
    }

    @Test
    void queuedDropOldestKeepsTheNewestEvents() throws Exception {
        GatedListener l = new GatedListener();
        try (ManagerFixture f =
                fixture("mode = queued, queue-capacity = 4, overflow = drop-oldest", l)) {
            MockConnection c1 = f.mock.connection("c1");
            c1.emit(trades("AAPL", 1, 1));
            l.awaitEntered();
            c1.emit(trades("AAPL", 2, 20));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().droppedEvents())
                                            .as("dropped events")
                                            .isEqualTo(15));
            l.release.countDown();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(l.received).hasSize(5));
            assertThat(sequences(l.received, "AAPL")).containsExactly(1L, 17L, 18L, 19L, 20L);
        }
    }

    @Test
    void queuedConflateKeepsTheLatestStatePerTickerAndEveryTrade() throws Exception {
        GatedListener l = new GatedListener();
        try (ManagerFixture f =
                fixture("mode = queued, queue-capacity = 16, overflow = conflate", l)) {
            MockConnection c1 = f.mock.connection("c1");
            c1.emit(trades("AAPL", 1, 1));
            l.awaitEntered();
            List<MarketEvent> burst = new ArrayList<>(trades("AAPL", 2, 10));
            burst.addAll(trades("MSFT", 1, 5));
            burst.add(MockEvents.quote("AAPL", 7, 1_700_000_000_007L));
            burst.add(MockEvents.quote("AAPL", 8, 1_700_000_000_008L));
            c1.emit(burst);
            // Quotes are states: the newer replaces the older. Trades are prints: all are kept.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().droppedEvents())
                                            .as("dropped events")
                                            .isEqualTo(1));
            l.release.countDown();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(l.received).hasSize(16));
            assertThat(sequences(l.received, "MSFT")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(l.received)
                    .filteredOn(e -> !(e instanceof Trade))
                    .singleElement()
                    .extracting(e -> ((io.tickmux.spi.event.Quote) e).sequence())
                    .isEqualTo(8L);
            assertThat(l.received)
                    .filteredOn(e -> e instanceof Trade && e.symbol().equals("AAPL"))
                    .hasSize(10);
        }
    }
}
