package io.tickmux.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event and status type survives the wire unchanged; the format is what the doc says. */
class WireRoundTripTest {

    private static final long T = 1_767_366_000_123L;
    private static final Instant AT = Instant.parse("2026-01-02T15:00:00.123456789Z");

    private final WireWriter w = new WireWriter();
    private final WireReader r = new WireReader();

    static List<MarketEvent> events() {
        return List.of(
                new Trade(
                        "AAPL",
                        4,
                        "71675577320245",
                        3,
                        189.25,
                        100,
                        "100.5",
                        new int[] {12, 37},
                        T,
                        T - 1,
                        1234,
                        201,
                        T - 2),
                new Trade("BRK.A", 1, null, -1, 612_000.0, 1, null, null, T, -1, -1, -1, -1),
                new Quote("MSFT", 19, 410.1, 2, 12, 410.2, 3, 1, new int[] {604}, T, 55, 3),
                new Aggregate(
                        "NVDA",
                        true,
                        1000,
                        50_000,
                        120.0,
                        121.5,
                        121.0,
                        122.0,
                        120.5,
                        121.8,
                        121.1,
                        12,
                        T - 60_000,
                        T,
                        false,
                        null,
                        null),
                new Aggregate(
                        "OTCX", false, 10, 20, 1.0, 1.1, 1.0, 1.2, 0.9, 1.1, 1.05, 2, T - 1000, T,
                        true, "10.5", "20.25"),
                new LimitUpLimitDown("GME", 30.5, 25.1, new int[] {17}, 1, T * 1_000_000L + 999, 8),
                new Imbalance("IBM", T * 1_000_000L + 7, 930, "O", 2, 4, 5000, 20000, 150.25),
                new FairMarketValue("TSLA", 250.75, T));
    }

    @Test
    void everyMarketEventComesBackEqualWithItsConnectionAndReceiptTime() {
        for (MarketEvent e : events()) {
            WireMessage m = r.read(w.market(e, "connection_1", 42));
            assertThat(m).isEqualTo(new WireMessage.Market(e, "connection_1", 42));
        }
    }

    @Test
    void everyStatusEventComesBackEqual() {
        List<StatusEvent> all =
                List.of(
                        new StatusEvent.Gap(
                                "AAPL",
                                "c1",
                                AT,
                                AT.plusSeconds(3),
                                "reconnect after \"abort\" (1006)\n",
                                AT),
                        new StatusEvent.ConnectionStateChanged(
                                "c2",
                                ConnectionState.CONNECTED,
                                ConnectionState.RECONNECTING,
                                "abort (1006)",
                                AT),
                        new StatusEvent.ServerStatus(
                                "c1",
                                "max_connections",
                                "Maximum number of websocket connections exceeded",
                                AT),
                        new StatusEvent.SubscriptionRefused(
                                "NOI.X", "c1", "not authorized — upgrade the plan", AT),
                        new StatusEvent.TickersMoved(
                                "c1", "c2", List.of("AAPL", "BRK.A"), "rebalance", AT),
                        new StatusEvent.Stale(
                                "AAPL", "c1", Duration.ofSeconds(90), Duration.ofMillis(250), AT),
                        new StatusEvent.Backfill(
                                "AAPL",
                                "c1",
                                AT,
                                AT.plusSeconds(3),
                                StatusEvent.Backfill.Outcome.PARTLY_FILLED,
                                1_234,
                                2,
                                3,
                                Duration.ofMillis(412),
                                "max-pages-per-gap 3 reached",
                                AT));
        for (StatusEvent e : all) {
            assertThat(r.read(w.status(e))).isEqualTo(new WireMessage.Status(e));
        }
    }

    @Test
    void aTradeLooksAsDocumented() {
        String json =
                new String(w.market(events().get(0), "connection_1", 7), StandardCharsets.UTF_8);
        assertThat(json)
                .startsWith(
                        "{\"wire\":1,\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":4,\"i\":\"71675577320245\"")
                .contains("\"t\":1767366000123000000")
                .endsWith("\"conn\":\"connection_1\",\"rx\":7}");
        assertThat(new String(w.market(events().get(1), "c", 0), StandardCharsets.UTF_8))
                .doesNotContain("\"q\"")
                .doesNotContain("\"pt\"")
                .doesNotContain("\"i\"");
    }

    @Test
    void idsAreTheEventsIdentityAndTheSameInEveryJvm() {
        assertThat(WireFormat.messageId(events().get(0))).isEqualTo("T.AAPL.4.71675577320245");
        assertThat(WireFormat.messageId(events().get(2))).isEqualTo("Q.MSFT.55");
        assertThat(WireFormat.messageId(events().get(3))).isEqualTo("AM.NVDA." + (T - 60_000));
        StatusEvent s =
                new StatusEvent.ConnectionStateChanged(
                        "c2", ConnectionState.CONNECTED, ConnectionState.RECONNECTING, "x", AT);
        assertThat(WireFormat.messageId(s)).isEqualTo(WireFormat.messageId(s)).startsWith("state.");
        assertThat(WireFormat.token("BRK.A")).isEqualTo("BRK_A");
        assertThat(WireFormat.token("AAPL")).isSameAs("AAPL");
    }

    @Test
    void anotherVersionOrGarbageIsRefusedWithWhatItWas() {
        assertThatThrownBy(
                        () -> r.read("{\"wire\":2,\"ev\":\"T\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireReader.WireFormatException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> r.read("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireReader.WireFormatException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(
                        () -> r.read("{\"wire\":1,\"ev\":\"X\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown ev 'X'");
        assertThat(
                        r.read(
                                "{\"wire\":1,\"ev\":\"FMV\",\"sym\":\"A\",\"fmv\":1.5,\"t\":1000000,\"new\":{\"x\":[1]}}"
                                        .getBytes(StandardCharsets.UTF_8)))
                .as("unknown fields are ignored")
                .isEqualTo(new WireMessage.Market(new FairMarketValue("A", 1.5, 1), "", 0));
    }
}
