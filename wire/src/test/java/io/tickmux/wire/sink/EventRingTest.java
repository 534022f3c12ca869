package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The buffer never waits; every drop lands in a gap, placed where the events are missing. */
class EventRingTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-01-02T15:00:00Z"), ZoneOffset.UTC);

    private static Trade t(String sym, long seq) {
        return new Trade(sym, 1, sym + seq, 3, 1.0, 1, null, null, 1_000 + seq, -1, seq, -1, -1);
    }

    private static List<Object> drain(EventRing ring) throws InterruptedException {
        EventRing.Batch b = new EventRing.Batch(1000);
        List<Object> out = new ArrayList<>();
        int n;
        while ((n = ring.drainTo(b, 0)) > 0) {
            for (int i = 0; i < n; i++) {
                out.add(b.item(i));
            }
        }
        return out;
    }

    @Test
    void dropNewestKeepsTheBufferAndPutsTheGapBeforeTheTickersNextEvent() throws Exception {
        EventRing ring = new EventRing("nats", 4, SinkOverflow.DROP_NEWEST, CLOCK);
        assertThat(ring.offer("c1", List.of(t("A", 1), t("B", 1), t("A", 2), t("B", 2)), 5))
                .isZero();
        assertThat(ring.offer("c1", List.of(t("A", 3), t("A", 4), t("B", 3)), 5)).isEqualTo(3);
        assertThat(ring.dropped()).isEqualTo(3);
        List<Object> first = drain(ring);
        assertThat(first.subList(0, 4)).containsExactly(t("A", 1), t("B", 1), t("A", 2), t("B", 2));
        // Quiet tickers' drops are reported as soon as the buffer has room again.
        assertThat(first.subList(4, first.size()))
                .hasSize(2)
                .anySatisfy(
                        o -> {
                            StatusEvent.Gap g = (StatusEvent.Gap) o;
                            assertThat(g.symbol()).isEqualTo("A");
                            assertThat(g.from()).isEqualTo(Instant.ofEpochMilli(1_003));
                            assertThat(g.to()).isEqualTo(Instant.ofEpochMilli(1_004));
                            assertThat(g.cause())
                                    .isEqualTo(
                                            "sink nats: 2 events dropped (buffer full,"
                                                    + " drop-newest)");
                        })
                .anySatisfy(
                        o -> assertThat(((StatusEvent.Gap) o).cause()).contains("1 event dropped"));
        ring.offer("c1", List.of(t("A", 5)), 5);
        assertThat(drain(ring)).containsExactly(t("A", 5));
        assertThat(drain(ring)).isEmpty();
    }

    @Test
    void dropOldestKeepsTheNewestAndNeverLosesAGap() throws Exception {
        EventRing ring = new EventRing("redis", 3, SinkOverflow.DROP_OLDEST, CLOCK);
        List<MarketEvent> in = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            in.add(t("A", i));
        }
        assertThat(ring.offer("c1", in, 5)).isEqualTo(8);
        List<Object> out = drain(ring);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(t("A", 9));
        StatusEvent.Gap g = (StatusEvent.Gap) out.get(1);
        assertThat(g.from()).isEqualTo(Instant.ofEpochMilli(1_001));
        assertThat(g.to()).isEqualTo(Instant.ofEpochMilli(1_008));
        assertThat(g.cause()).contains("8 events dropped").contains("drop-oldest");
        assertThat(out.get(2)).isEqualTo(t("A", 10));
    }

    @Test
    void aClosedRingCountsWhatComesAndHandsBackTheUnreportedDrops() throws Exception {
        EventRing ring = new EventRing("nats", 2, SinkOverflow.DROP_NEWEST, CLOCK);
        ring.offer("c1", List.of(t("A", 1), t("A", 2), t("A", 3)), 5);
        List<StatusEvent.Gap> left = ring.close();
        assertThat(left).singleElement().satisfies(g -> assertThat(g.symbol()).isEqualTo("A"));
        assertThat(ring.offer("c1", List.of(t("B", 1)), 5)).isEqualTo(1);
        assertThat(ring.dropped()).isEqualTo(2);
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.capacity()).isEqualTo(2);
    }
}
