package io.tickmux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Unit tests of the manager's small parts: ledger, sequence window, ingress, conflation. */
class PartsTest {

    private static Trade trade(String sym, long seq) {
        return new Trade(
                sym,
                4,
                "t" + seq,
                3,
                100.0,
                100,
                null,
                null,
                1_700_000_000_000L + seq,
                -1,
                seq,
                -1,
                -1);
    }

    private static Quote quote(String sym, long seq) {
        return new Quote(sym, 4, 99.0, 2, 7, 99.01, 3, 0, null, 1_700_000_000_000L + seq, seq, 3);
    }

    @Test
    void theLedgerSendsTheDifferenceAndSettlesOnAcksAndRefusals() {
        SubscriptionLedger l = new SubscriptionLedger();
        l.want("A");
        l.want("B");
        l.want("C");
        SubscriptionLedger.Diff d = l.diff(0);
        assertThat(d.subscribe()).containsExactly("A", "B", "C");
        assertThat(l.diff(0).isEmpty()).isTrue();
        assertThat(l.ack("A")).isTrue();
        assertThat(l.ack("A")).isFalse(); // a repeated ack changes nothing
        assertThat(l.refuse("B", "not authorized")).isTrue();
        assertThat(l.settled()).isFalse();
        assertThat(l.timedOut("C", 1, "no ack")).isEqualTo(SubscriptionLedger.Timeout.RETRY);
        assertThat(l.diff(0).isEmpty()).as("held back until the retry is due").isTrue();
        assertThat(l.retryDue("C")).isTrue();
        assertThat(l.diff(0).subscribe()).containsExactly("C");
        assertThat(l.timedOut("C", 1, "no ack")).isEqualTo(SubscriptionLedger.Timeout.REFUSED);
        assertThat(l.refused()).containsKeys("B", "C");
        assertThat(l.settled()).isTrue();
        l.release("B");
        d = l.diff(5);
        assertThat(d.unsubscribe()).containsExactly("B");
        assertThat(l.settled()).as("awaiting the unsubscribe ack").isFalse();
        assertThat(l.expireUnsubscribes(4)).isEmpty();
        assertThat(l.expireUnsubscribes(5)).containsExactly("B");
        assertThat(l.settled()).isTrue();
        l.reset();
        assertThat(l.diff(0).subscribe()).containsExactly("A", "C");
    }

    @Test
    void theSequenceWindowTellsRepeatsFromLatePrints() {
        SequenceWindow w = new SequenceWindow();
        assertThat(w.observe(10)).isEqualTo(SequenceWindow.IN_ORDER);
        assertThat(w.observe(12)).isEqualTo(SequenceWindow.IN_ORDER);
        assertThat(w.observe(11)).isEqualTo(SequenceWindow.OUT_OF_ORDER);
        assertThat(w.observe(11)).isEqualTo(SequenceWindow.REPEAT);
        assertThat(w.observe(12)).isEqualTo(SequenceWindow.REPEAT);
        w.reset();
        assertThat(w.observe(1)).isEqualTo(SequenceWindow.IN_ORDER);
    }

    @Test
    void ingressDropsAndCountsEventsForTickersNoLongerWanted() {
        ConcurrentHashMap<String, TickerEntry> tickers = new ConcurrentHashMap<>();
        List<MarketEvent> out = new ArrayList<>();
        Dispatcher d =
                new Dispatcher() {
                    @Override
                    public void dispatch(MarketEvent event) {
                        out.add(event);
                    }

                    @Override
                    public int queueDepth() {
                        return 0;
                    }

                    @Override
                    public long dropped() {
                        return 0;
                    }

                    @Override
                    public void close() {}
                };
        Ingress in = new Ingress(tickers, d, Clock.systemUTC());
        ManagedConnection c = new ManagedConnection(ConnectionDefinition.of("c1"), null, in, 1e9);
        tickers.put("AAPL", new TickerEntry(TickerView.of("AAPL"), c, 1e9));
        in.onEvents(c, List.of(trade("AAPL", 1), trade("GONE", 1), quote("AAPL", 1)));
        assertThat(out).extracting(MarketEvent::symbol).containsExactly("AAPL", "AAPL");
        assertThat(in.unwanted.sum()).isEqualTo(1);
        assertThat(c.messages.sum()).isEqualTo(3);
        in.wildcard = true;
        in.onEvents(c, List.of(trade("ANY", 2)));
        assertThat(out).hasSize(3);
    }

    @Test
    void conflationNeverConflatesTradesAndDeliversAQuietTickersLastQuote() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<MarketEvent> got = new CopyOnWriteArrayList<>();
        ListenerInvoker invoker =
                new ListenerInvoker(
                        e -> {
                            entered.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException x) {
                                Thread.currentThread().interrupt();
                            }
                            got.add(e);
                        },
                        new RateLimitedLog(
                                LoggerFactory.getLogger(PartsTest.class),
                                Clock.systemUTC(),
                                Duration.ZERO));
        ConflatingDispatcher d =
                new ConflatingDispatcher(64, invoker, Threads.named("test-dispatch"));
        try {
            d.dispatch(trade("AAPL", 1));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i <= 10; i++) {
                d.dispatch(trade("AAPL", i));
            }
            d.dispatch(quote("MSFT", 1));
            d.dispatch(quote("MSFT", 2)); // replaces 1: the only drop
            assertThat(d.dropped()).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(got).hasSize(11));
            assertThat(got)
                    .filteredOn(e -> e instanceof Trade)
                    .extracting(e -> ((Trade) e).sequence())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(got)
                    .filteredOn(e -> e instanceof Quote)
                    .extracting(e -> ((Quote) e).sequence())
                    .containsExactly(2L);
            assertThat(d.slots()).isEqualTo(1);
            d.forget("MSFT");
            assertThat(d.slots()).isZero();
        } finally {
            release.countDown();
            d.close();
        }
    }
}
