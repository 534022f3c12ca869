package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.spi.backfill.BackfillHealth;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Backfill.Outcome;
import io.tickmux.spi.event.TickListener;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import io.tickmux.transport.mock.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The manager's side of a backfill: what a hook recovers reaches {@link TickListener#onBackfill}
 * once, never when the listener had it live at either edge of the gap, and the outcome is
 * published, counted and shown in health.
 */
class BackfillDeliveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long T0 = 1_000_000;

    @Test
    void recoveredEventsAreDeliveredOnceAndTheLiveEdgesAreDropped() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
        MockTransport mock = new MockTransport();
        RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        List<MarketEvent> live = new CopyOnWriteArrayList<>();
        List<MarketEvent> backfilled = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        TickListener listener =
                new TickListener() {
                    @Override
                    public void onTick(MarketEvent event) {
                        live.add(event);
                    }

                    @Override
                    public void onBackfill(MarketEvent event, StatusEvent.Gap gap) {
                        assertThat(Thread.currentThread().getName()).isEqualTo("tickmux-backfill");
                        backfilled.add(event);
                    }
                };
        List<MarketEvent> recovered =
                List.of(
                        MockEvents.trade("A", 2, T0), // the leading edge: had live
                        MockEvents.quote("A", 3, T0), // the leading edge: had live
                        MockEvents.trade("A", 5, T0 + 200), // lost: delivered
                        MockEvents.quote("A", 6, T0 + 300), // lost: delivered
                        MockEvents.trade("A", 5, T0 + 200), // a repeat within the answer
                        MockEvents.trade("A", 9, T0 + 400), // arrives live late, during the fill
                        MockEvents.trade("B", 10, T0 + 200), // another ticker: ignored
                        MockEvents.trade("A", 11, T0 + 9_000)); // outside the span: ignored
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.reconnect { initial-delay = 20ms,"
                                                + " max-delay = 20ms }"))
                        .transport(mock)
                        .clock(clock)
                        .tickListener(listener)
                        .statusListener(status)
                        .backfill(
                                (gap, out) -> {
                                    assertThat(out.wanted()).isTrue();
                                    if (!gap.symbol().equals("A")) {
                                        return BackfillHook.Result.filled(0);
                                    }
                                    release.await(30, TimeUnit.SECONDS);
                                    int n = out.deliver(recovered);
                                    assertThat(n).isEqualTo(2);
                                    return BackfillHook.Result.filled(3);
                                })
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            assertThat(m.connectAll(Map.of("c1", List.of("A", "B")), TIMEOUT)).isTrue();
            MockConnection c1 = mock.connection("c1");
            c1.emit(
                    MockEvents.trade("A", 1, T0 - 5),
                    MockEvents.trade("A", 2, T0),
                    MockEvents.quote("A", 3, T0));
            await().atMost(TIMEOUT).until(() -> live.size() == 3);
            clock.advance(Duration.ofMillis(500));
            c1.drop();
            StatusEvent.Gap gap = status.next(StatusEvent.Gap.class, g -> g.symbol().equals("A"));
            assertThat(gap.from()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(gap.to()).isEqualTo(Instant.ofEpochMilli(T0 + 500));
            c1.emit(MockEvents.trade("A", 9, T0 + 400)); // a late print of the span, live
            await().atMost(TIMEOUT).until(() -> live.size() == 4);
            release.countDown();

            StatusEvent.Backfill b =
                    status.next(StatusEvent.Backfill.class, x -> x.symbol().equals("A"));
            assertThat(backfilled)
                    .containsExactly(
                            MockEvents.trade("A", 5, T0 + 200), MockEvents.quote("A", 6, T0 + 300));
            assertThat(b.outcome()).isEqualTo(Outcome.FILLED);
            assertThat(b.events()).isEqualTo(2);
            assertThat(b.duplicates()).isEqualTo(4);
            assertThat(b.pages()).isEqualTo(3);
            assertThat(b.from()).isEqualTo(gap.from());
            assertThat(b.detail()).isEmpty();
            // A and B each had a gap; B's outcome may come after A's
            await().atMost(TIMEOUT).until(() -> m.healthStatus().backfill().filled() == 2);
            BackfillHealth h = m.healthStatus().backfill();
            assertThat(h.events()).isEqualTo(2);
            assertThat(h.last()).isNotNull();
            assertThat(m.healthStatus().toMap()).containsKey("backfill");
            assertThat(
                            m.meterRegistry()
                                    .get("tickmux.backfill.gaps")
                                    .tag("outcome", "filled")
                                    .counter()
                                    .count())
                    .isEqualTo(2);
            assertThat(m.meterRegistry().get("tickmux.backfill.events").functionCounter().count())
                    .isEqualTo(2);
            assertThat(m.meterRegistry().get("tickmux.backfill.duration").timer().count())
                    .isEqualTo(2);
        }
    }

    @Test
    void aThrowingListenerIsCountedAndTheGapStillReported() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
        MockTransport mock = new MockTransport();
        RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        TickListener listener =
                new TickListener() {
                    @Override
                    public void onTick(MarketEvent event) {}

                    @Override
                    public void onBackfill(MarketEvent event, StatusEvent.Gap gap) {
                        throw new IllegalStateException("listener bug");
                    }
                };
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.reconnect { initial-delay = 20ms,"
                                                + " max-delay = 20ms }"))
                        .transport(mock)
                        .clock(clock)
                        .tickListener(listener)
                        .statusListener(status)
                        .backfill(
                                (gap, out) -> {
                                    out.deliver(
                                            List.of(
                                                    MockEvents.trade(
                                                            "A", 7, gap.to().toEpochMilli())));
                                    return new BackfillHook.Result(
                                            Outcome.PARTLY_FILLED, 1, "budget spent");
                                })
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            assertThat(m.connectAll(Map.of("c1", List.of("A")), TIMEOUT)).isTrue();
            mock.connection("c1").emit(MockEvents.trade("A", 1, T0));
            await().atMost(TIMEOUT).until(() -> m.healthStatus().totalTicks() == 1);
            clock.advance(Duration.ofMillis(100));
            mock.connection("c1").drop();
            StatusEvent.Backfill b = status.next(StatusEvent.Backfill.class);
            assertThat(b.outcome()).isEqualTo(Outcome.PARTLY_FILLED);
            assertThat(b.detail()).isEqualTo("budget spent");
            assertThat(b.events()).isEqualTo(1);
            assertThat(m.healthStatus().backfill().partlyFilled()).isEqualTo(1);
            assertThat(
                            m.meterRegistry()
                                    .get("tickmux.listener.errors")
                                    .tag("listener", "backfill")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(1);
        }
    }
}
