package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's list of recent status events: bounded, newest first, one line each. */
class RecentEventsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private static StatusEvent server(int n) {
        return new StatusEvent.ServerStatus("c1", "status " + n, "message " + n, AT);
    }

    @Test
    void keepsTheNewestFirstAndForgetsTheOldestBeyondItsCapacity() {
        RecentEvents recent = new RecentEvents(3);
        assertThat(recent.snapshot()).isEmpty();
        for (int n = 1; n <= 5; n++) {
            recent.onStatus(server(n));
        }
        assertThat(recent.snapshot())
                .extracting(m -> m.get("text"))
                .containsExactly(
                        "status 5: message 5", "status 4: message 4", "status 3: message 3");
    }

    @Test
    void aSnapshotIsACopyLaterEventsDoNotChange() {
        RecentEvents recent = new RecentEvents(2);
        recent.onStatus(server(1));
        List<Map<String, Object>> before = recent.snapshot();
        recent.onStatus(server(2));
        recent.onStatus(server(3));
        assertThat(before).extracting(m -> m.get("text")).containsExactly("status 1: message 1");
    }

    @Test
    void eachKindOfEventIsOneLineTypedForThePage() {
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.ConnectionStateChanged(
                                        "c3",
                                        ConnectionState.CONNECTED,
                                        ConnectionState.RECONNECTING,
                                        "abort (1006)",
                                        AT)))
                .containsExactly(
                        Map.entry("at", "2026-01-02T03:04:05Z"),
                        Map.entry("type", "state"),
                        Map.entry("connection", "c3"),
                        Map.entry("text", "connected → reconnecting: abort (1006)"));
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.TickersMoved(
                                        "c1", "c2", List.of("A", "B"), "rebalance requested", AT)))
                .containsEntry("type", "moved")
                .containsEntry("connection", "c2")
                .containsEntry("text", "2 tickers c1 → c2 (rebalance requested)");
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.Gap(
                                        "AAPL", "c1", AT, AT.plusSeconds(2), "abort", AT)))
                .containsEntry("type", "gap")
                .containsEntry(
                        "text", "gap AAPL 2026-01-02T03:04:05Z … 2026-01-02T03:04:07Z (abort)");
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.SubscriptionRefused(
                                        "ZZZ", "c2", "not authorized", AT)))
                .containsEntry("type", "refused")
                .containsEntry("text", "ZZZ refused: not authorized");
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.Stale(
                                        "MSFT",
                                        "c1",
                                        Duration.ofSeconds(90),
                                        Duration.ofSeconds(1),
                                        AT)))
                .containsEntry("type", "gap")
                .containsEntry("text", "MSFT silent for 90 s");
        assertThat(
                        RecentEvents.describe(
                                new StatusEvent.Backfill(
                                        "AAPL",
                                        "c1",
                                        AT,
                                        AT.plusSeconds(1),
                                        StatusEvent.Backfill.Outcome.PARTLY_FILLED,
                                        7,
                                        1,
                                        2,
                                        Duration.ofMillis(35),
                                        "max-pages-per-gap 2 reached",
                                        AT)))
                .containsEntry("type", "backfill partly-filled")
                .containsEntry(
                        "text",
                        "backfill AAPL 2026-01-02T03:04:05Z … 2026-01-02T03:04:06Z: partly-filled,"
                                + " 7 events, 2 pages, 35 ms (max-pages-per-gap 2 reached)");
        assertThat(RecentEvents.describe(server(1)))
                .containsEntry("type", "server")
                .containsEntry("connection", "c1");
    }
}
