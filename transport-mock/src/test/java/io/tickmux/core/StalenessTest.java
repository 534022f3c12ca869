package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.spi.event.StatusEvent.Stale;
import io.tickmux.tck.RecordingStatusListener;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import io.tickmux.transport.mock.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Per-ticker staleness relative to each ticker's own rate, only during market hours. Staleness is
 * judged on the manager's clock, which these tests move by hand: how long a ticker has been silent
 * is then exact, however slowly the machine runs. Rates are still measured in real time.
 */
class StalenessTest {

    private static final String FAST =
            "tickmux.core { health-check-interval = 50ms, auto-rebalance = off,"
                    + " rate { sample-interval = 20ms, half-life = 100ms },"
                    + " staleness { factor = 5, min-silence = 300ms, market-hours { zone = UTC,";

    /** A clock moved by the test that counts how often the manager read it. */
    static final class CountingClock extends Clock {
        final MutableClock time = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
        final AtomicLong reads = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return time.instant();
        }

        @Override
        public long millis() {
            reads.incrementAndGet();
            return time.millis();
        }
    }

    /** A manager with one mock connection on a clock the test moves. */
    static final class Fixture implements AutoCloseable {
        final CountingClock clock = new CountingClock();
        final MockTransport mock = new MockTransport();
        final RecordingStatusListener status = new RecordingStatusListener(TIMEOUT);
        final MultiConnectionManager manager;

        Fixture(String settings) {
            manager =
                    MultiConnectionManager.builder()
                            .settings(CoreSettings.parse(settings))
                            .transport(mock)
                            .statusListener(status)
                            .clock(clock)
                            .connection(ConnectionDefinition.of("c1"))
                            .build();
        }

        List<String> staleSymbols() {
            return status.all().stream()
                    .filter(e -> e instanceof Stale)
                    .map(e -> ((Stale) e).symbol())
                    .toList();
        }

        Stale stale(String symbol) {
            return status.all().stream()
                    .filter(e -> e instanceof Stale s && s.symbol().equals(symbol))
                    .map(e -> (Stale) e)
                    .findFirst()
                    .orElseThrow();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void aTickerSilentMuchLongerThanItsRateIsStaleAndRecoversWhenEventsResume() throws Exception {
        try (Fixture f =
                new Fixture(
                        FAST
                                + " open = \"00:00\", close = \"23:59:59\", days = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY,"
                                + " FRIDAY, SATURDAY, SUNDAY] } } }")) {
            assertThat(f.manager.connectAll(Map.of("c1", List.of("A", "B", "NEVER")), TIMEOUT))
                    .isTrue();
            var c1 = f.mock.connection("c1");
            AtomicLong seq = new AtomicLong();
            MutableClock time = f.clock.time;
            // Both trade every poll until their rates are measured. The clock stands still
            // meanwhile, so nothing is silent yet.
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(
                            () -> {
                                long q = seq.incrementAndGet();
                                c1.emit(
                                        MockEvents.trade("A", q, time.millis()),
                                        MockEvents.trade("B", q, time.millis()));
                                assertThat(f.manager.healthStatus().totalTicks())
                                        .as("ticks")
                                        .isGreaterThan(40);
                                assertThat(
                                                f.manager
                                                        .healthStatus()
                                                        .connections()
                                                        .get(0)
                                                        .messageRate())
                                        .as("c1's measured rate")
                                        .isGreaterThan(10.0);
                            });
            assertThat(f.staleSymbols()).as("stale while the clock stood still").isEmpty();
            // Now only B trades: the clock moves 100 ms a step and B trades once a step, so B is
            // never silent for more than 100 ms (less than the 300 ms minimum). A and NEVER (acked,
            // never heard from) fall silent until they are stale.
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(
                            () -> {
                                time.advance(Duration.ofMillis(100));
                                c1.emit(
                                        MockEvents.trade(
                                                "B", seq.incrementAndGet(), time.millis()));
                                c1.flush(TIMEOUT); // B's trade is handled before the next step
                                assertThat(f.staleSymbols()).contains("A", "NEVER");
                            });
            assertThat(f.staleSymbols()).as("B is trading").doesNotContain("B");
            Stale a = f.stale("A");
            Stale never = f.stale("NEVER");
            assertThat(a.connectionId()).isEqualTo("c1");
            assertThat(a.expectedEvery()).isPositive();
            assertThat(a.silentFor()).isGreaterThan(Duration.ofMillis(300));
            assertThat(never.expectedEvery()).isZero();
            // The count is set at the end of the check that published the events.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.manager.healthStatus().staleTickers()).isEqualTo(2));
            // A trades again (with B), the clock standing still: only NEVER stays stale.
            long q = seq.incrementAndGet();
            c1.emit(
                    MockEvents.trade("A", q, time.millis()),
                    MockEvents.trade("B", q, time.millis()));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(f.manager.healthStatus().staleTickers()).isEqualTo(1));
            assertThat(f.manager.healthStatus().toMap()).containsEntry("stale_tickers", 1);
        }
    }

    @Test
    void outsideMarketHoursNothingIsStale() throws Exception {
        try (Fixture f =
                new Fixture(FAST + " open = \"00:00\", close = \"00:00\", days = [MONDAY] } } }")) {
            assertThat(f.manager.connectAll(Map.of("c1", List.of("QUIET")), TIMEOUT)).isTrue();
            // An hour of silence: stale many times over, were the market open.
            f.clock.time.advance(Duration.ofHours(1));
            // The barrier: the health check reads the clock, and nothing else does while the feed
            // is quiet; two reads after the move mean a whole check ran on the moved clock.
            long reads = f.clock.reads.get();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.clock.reads.get())
                                            .as("clock reads since it moved")
                                            .isGreaterThanOrEqualTo(reads + 2));
            assertThat(f.manager.healthStatus().staleTickers()).isZero();
            assertThat(f.staleSymbols()).isEmpty();
        }
    }

    @Test
    void marketHoursAreReadAndValidated() {
        var h = CoreSettings.defaults().marketHours();
        assertThat(h.zone().getId()).isEqualTo("America/New_York");
        assertThat(h.isOpen(java.time.Instant.parse("2026-11-25T15:00:00Z")))
                .isTrue(); // Wed 10:00 ET
        assertThat(h.isOpen(java.time.Instant.parse("2026-11-25T13:00:00Z"))).isFalse(); // 08:00 ET
        assertThat(h.isOpen(java.time.Instant.parse("2026-11-28T15:00:00Z"))).isFalse(); // Saturday
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                CoreSettings.parse(
                                        "tickmux.core.staleness.market-hours { zone = Mars/Olympus, open = \"9:3x\", days = [FUNDAY] }"))
                .hasMessageContaining("zone = 'Mars/Olympus' is not a time zone")
                .hasMessageContaining("open = '9:3x' is not a time of day")
                .hasMessageContaining("has 'FUNDAY', not a day");
    }
}
