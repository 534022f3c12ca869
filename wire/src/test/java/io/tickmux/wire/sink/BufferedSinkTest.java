package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.Fence;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkHealth;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every bus sink gets from the shared part: when it publishes, what it drops, what it says.
 */
class BufferedSinkTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-02T15:00:00Z"), ZoneOffset.UTC);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final BlockingQueue<StatusEvent.Gap> reported = new LinkedBlockingQueue<>();
    private final SinkContext context =
            SinkContext.of(registry, CLOCK, "tickmux.sink.fake", reported::add);
    private final List<FakeSink> sinks = new ArrayList<>();

    private FakeSink sink(int capacity, SinkOverflow overflow) {
        FakeSink s = new FakeSink(context, capacity, overflow);
        sinks.add(s);
        return s;
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(FakeSink::close);
    }

    private static Trade t(String sym, long seq) {
        return new Trade(sym, 1, sym + seq, 3, 1.0, 1, null, null, 1_000 + seq, -1, seq, -1, -1);
    }

    private static StatusEvent.Gap gap(String sym) {
        Instant t = Instant.ofEpochMilli(1);
        return new StatusEvent.Gap(sym, "c1", t, t, "test", t);
    }

    /** The {@code tickmux.sink.dropped} meter of one reason (a counter, or a function counter). */
    private double dropped(String reason) {
        return registry.get("tickmux.sink.dropped")
                .tag("sink", "fake")
                .tag("reason", reason)
                .meter()
                .measure()
                .iterator()
                .next()
                .getValue();
    }

    private List<Object> take(FakeSink s, int n) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object o = s.published.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("item %d of %d", i + 1, n).isNotNull();
            out.add(o);
        }
        return out;
    }

    @Test
    void eventsAreHeldWhileDisconnectedAndPublishedInOrderOnceConnected() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.start();
        s.onEvents("c1", List.of(t("A", 1), t("B", 1), t("A", 2)));
        assertThat(s.health().state()).isEqualTo(SinkHealth.State.DEGRADED);
        assertThat(s.health().detail())
                .startsWith("not connected to fake://bus: buffering (3 of 16)");
        assertThat(s.health().bufferDepth()).isEqualTo(3);
        s.connected = true;
        assertThat(take(s, 3)).containsExactly(t("A", 1), t("B", 1), t("A", 2));
        await().until(() -> s.health().published() == 3);
        SinkHealth h = s.health();
        assertThat(h.state()).isEqualTo(SinkHealth.State.UP);
        assertThat(h.detail()).isEmpty();
        assertThat(h.bufferCapacity()).isEqualTo(16);
        assertThat(registry.get("tickmux.sink.published").tag("sink", "fake").counter().count())
                .isEqualTo(3);
        assertThat(registry.get("tickmux.sink.publish.latency").tag("sink", "fake").timer().count())
                .isEqualTo(3);
        assertThat(Thread.getAllStackTraces().keySet())
                .anySatisfy(th -> assertThat(th.getName()).isEqualTo("tickmux-sink-fake"));
    }

    @Test
    void statusEventsGoOutBeforeTheEventsOfTheSameDrainAndAreNotTimed() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.start();
        s.onEvents("c1", List.of(t("A", 1)));
        s.onStatus(gap("X"));
        s.connected = true;
        List<Object> out = take(s, 2);
        assertThat(out.get(0)).isEqualTo(gap("X"));
        assertThat(out.get(1)).isEqualTo(t("A", 1));
        await().until(() -> s.health().published() == 2);
        assertThat(registry.get("tickmux.sink.publish.latency").timer().count()).isEqualTo(1);
    }

    @Test
    void dropsOfAFullBufferArePublishedAndReportedAsAGap() throws Exception {
        FakeSink s = sink(2, SinkOverflow.DROP_NEWEST);
        s.start();
        s.onEvents("c1", List.of(t("A", 1), t("A", 2), t("A", 3), t("A", 4), t("A", 5)));
        assertThat(s.health().dropped()).isEqualTo(3);
        assertThat(dropped("overflow")).isEqualTo(3);
        s.connected = true;
        List<Object> out = take(s, 3);
        assertThat(out.subList(0, 2)).containsExactly(t("A", 1), t("A", 2));
        StatusEvent.Gap g = (StatusEvent.Gap) out.get(2);
        assertThat(g.cause()).isEqualTo("sink fake: 3 events dropped (buffer full, drop-newest)");
        assertThat(reported.poll(10, TimeUnit.SECONDS)).isEqualTo(g);
    }

    @Test
    void anEventLostForGoodIsCountedReportedAndPublishedAsAGap() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.failWith = "refused";
        s.connected = true;
        s.start();
        s.onEvents("c1", List.of(t("A", 7)));
        StatusEvent.Gap g = (StatusEvent.Gap) take(s, 1).get(0);
        assertThat(g.symbol()).isEqualTo("A");
        assertThat(g.from()).isEqualTo(Instant.ofEpochMilli(1_007)).isEqualTo(g.to());
        assertThat(g.cause()).isEqualTo("sink fake: 1 event not published (refused)");
        assertThat(g.at()).isEqualTo(CLOCK.instant());
        assertThat(reported.poll(10, TimeUnit.SECONDS)).isEqualTo(g);
        assertThat(s.health().dropped()).isEqualTo(1);
        assertThat(dropped("failed")).isEqualTo(1);
    }

    @Test
    void anInvalidLeaseDiscardsWhatIsHeldAndRefusesWhatComes() throws Exception {
        AtomicBoolean valid = new AtomicBoolean(true);
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.fence(
                new Fence() {
                    @Override
                    public long epoch() {
                        return 7;
                    }

                    @Override
                    public boolean valid() {
                        return valid.get();
                    }
                });
        s.start();
        s.onEvents("c1", List.of(t("A", 1), t("A", 2)));
        s.onStatus(gap("X"));
        s.unacknowledged = 4;
        valid.set(false);
        await().until(() -> dropped("fenced") == 7);
        assertThat(s.health().bufferDepth()).isZero();
        s.onEvents("c1", List.of(t("A", 3)));
        assertThat(dropped("fenced")).isEqualTo(8);
        s.connected = true;
        s.onStatus(gap("Y"));
        await().until(() -> dropped("fenced") == 9);
        assertThat(s.published).isEmpty();
    }

    @Test
    void statusBeyondItsBoundIsDroppedAndCounted() {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        for (int i = 0; i < 10_001; i++) {
            s.onStatus(gap("A"));
        }
        assertThat(dropped("status-overflow")).isEqualTo(1);
    }

    @Test
    void publishedThroughStopsAtTheLastIdleMomentWhileAStatusEventWaits() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.start();
        long started = s.publishedThroughNanos();
        assertThat(started).isPositive();
        s.onStatus(gap("X"));
        s.onEvents("c1", List.of(t("A", 1)));
        // Disconnected: the status event is still held, so the mark stays where it was.
        assertThat(s.publishedThroughNanos()).isEqualTo(started);
        s.connected = true;
        take(s, 2);
        await().until(() -> s.publishedThroughNanos() > started);
    }

    @Test
    void errorsAreCountedAndShownInHealth() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.start();
        s.fail("cannot reach the bus");
        assertThat(s.health().detail()).endsWith("); cannot reach the bus");
        s.connected = true;
        await().until(() -> s.health().state() == SinkHealth.State.UP);
        assertThat(s.health().detail()).isEqualTo("last error: cannot reach the bus");
        assertThat(registry.get("tickmux.sink.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void closePublishesWhatIsBufferedThenShutsDownOnce() throws Exception {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        assertThat(s.health().state()).isEqualTo(SinkHealth.State.DOWN);
        assertThat(s.health().detail()).isEqualTo("not started");
        s.start();
        s.connected = true;
        s.onEvents("c1", List.of(t("A", 1), t("A", 2)));
        s.close();
        assertThat(s.published).contains(t("A", 1), t("A", 2));
        assertThat(s.shutdowns).hasSize(1);
        s.close();
        assertThat(s.shutdowns).hasSize(1);
        assertThat(s.health().state()).isEqualTo(SinkHealth.State.DOWN);
        assertThat(s.health().detail()).isEqualTo("closed");
        s.onStatus(gap("X"));
        s.start();
        assertThat(s.health().detail()).isEqualTo("closed");
    }

    @Test
    void theMetersAreTaggedWithTheSinksName() {
        FakeSink s = sink(16, SinkOverflow.DROP_NEWEST);
        s.inFlight = 5;
        s.onEvents("c1", List.<MarketEvent>of(t("A", 1)));
        assertThat(registry.get("tickmux.sink.in.flight").tag("sink", "fake").gauge().value())
                .isEqualTo(5);
        assertThat(registry.get("tickmux.sink.buffer.depth").tag("sink", "fake").gauge().value())
                .isEqualTo(1);
        assertThat(s.name()).isEqualTo("fake");
    }
}
