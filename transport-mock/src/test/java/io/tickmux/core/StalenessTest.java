package io.tickmux.core;

import static io.tickmux.core.ManagerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.core.event.StatusEvent.Stale;
import io.tickmux.transport.mock.MockEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-ticker staleness relative to each ticker's own rate, only during market hours. */
class StalenessTest {

    private static final String FAST =
            "tickmux.core { health-check-interval = 50ms, auto-rebalance = off,"
                    + " rate { sample-interval = 20ms, half-life = 100ms },"
                    + " staleness { factor = 5, min-silence = 300ms, market-hours { zone = UTC,";

    @Test
    void aTickerSilentMuchLongerThanItsRateIsStaleAndRecoversWhenEventsResume() throws Exception {
        try (ManagerFixture f =
                new ManagerFixture(
                        FAST
                                + " open = \"00:00\", close = \"23:59:59\", days = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY,"
                                + " FRIDAY, SATURDAY, SUNDAY] } } }",
                        null,
                        null,
                        "c1")) {
            f.manager.connectAll(Map.of("c1", List.of("A", "B", "NEVER")), TIMEOUT);
            var c1 = f.mock.connection("c1");
            AtomicLong seq = new AtomicLong();
            // Both trade every poll until A has a measured rate.
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> {
                                long q = seq.incrementAndGet();
                                c1.emit(
                                        MockEvents.trade("A", q, System.currentTimeMillis()),
                                        MockEvents.trade("B", q, System.currentTimeMillis()));
                                return f.manager.healthStatus().totalTicks() > 40;
                            });
            // Now only B trades: A goes stale, NEVER (acked, never heard from) too; B does not.
            Stale a = null;
            Stale never = null;
            while (a == null || never == null) {
                c1.emit(MockEvents.trade("B", seq.incrementAndGet(), System.currentTimeMillis()));
                Stale s = f.status.next(Stale.class);
                if (s.symbol().equals("A")) {
                    a = s;
                } else if (s.symbol().equals("NEVER")) {
                    never = s;
                } else {
                    throw new AssertionError("B is trading and must not be stale: " + s);
                }
            }
            assertThat(a.connectionId()).isEqualTo("c1");
            assertThat(a.expectedEvery()).isPositive();
            assertThat(a.silentFor()).isGreaterThan(Duration.ofMillis(300));
            assertThat(never.expectedEvery()).isZero();
            assertThat(f.manager.healthStatus().staleTickers()).isGreaterThanOrEqualTo(2);
            // A trades again (with B): only NEVER stays stale.
            await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () -> {
                                long q = seq.incrementAndGet();
                                c1.emit(
                                        MockEvents.trade("A", q, System.currentTimeMillis()),
                                        MockEvents.trade("B", q, System.currentTimeMillis()));
                                return f.manager.healthStatus().staleTickers() == 1;
                            });
            assertThat(f.manager.healthStatus().toMap()).containsEntry("stale_tickers", 1);
        }
    }

    @Test
    void outsideMarketHoursNothingIsStale() throws Exception {
        try (ManagerFixture f =
                new ManagerFixture(
                        FAST + " open = \"00:00\", close = \"00:00\", days = [MONDAY] } } }",
                        null,
                        null,
                        "c1")) {
            f.manager.connectAll(Map.of("c1", List.of("QUIET")), TIMEOUT);
            await().during(Duration.ofMillis(600))
                    .atMost(TIMEOUT)
                    .until(() -> f.manager.healthStatus().staleTickers() == 0);
            assertThat(f.status.all()).noneMatch(e -> e instanceof Stale);
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
