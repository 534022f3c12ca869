package io.tickmux.spi.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketEventTest {

    private static Trade trade(int[] conditions) {
        return new Trade(
                "AAPL",
                4,
                "5096",
                3,
                161.87,
                300,
                null,
                conditions,
                1651684192462L,
                -1,
                4009402,
                -1,
                -1);
    }

    @Test
    void kindsAndChannelsMatchTheFeed() {
        assertThat(trade(null).kind().channel()).isEqualTo("T");
        assertThat(new Quote("MSFT", 4, 1, 1, 7, 2, 1, 0, null, 5, 6, 3).kind())
                .isEqualTo(EventKind.QUOTE);
        Aggregate a =
                new Aggregate(
                        "SPCE",
                        false,
                        200,
                        8642007,
                        25.66,
                        25.3981,
                        25.39,
                        25.39,
                        25.39,
                        25.39,
                        25.3714,
                        50,
                        1610144868000L,
                        1610144869000L,
                        false,
                        null,
                        null);
        assertThat(a.kind()).isEqualTo(EventKind.SECOND_AGGREGATE);
        assertThat(a.timestampMillis()).isEqualTo(1610144869000L);
        Aggregate am =
                new Aggregate(
                        "GTE",
                        true,
                        4110,
                        9470157,
                        0.4372,
                        0.4488,
                        0.4488,
                        0.4489,
                        0.4486,
                        0.4486,
                        0.4352,
                        685,
                        1610144640000L,
                        1610144700000L,
                        true,
                        "4110.0",
                        "1");
        assertThat(am.kind().channel()).isEqualTo("AM");
        assertThat(new FairMarketValue("AAPL", 189.22, 1678220098130L).kind().channel())
                .isEqualTo("FMV");
        assertThat(new FairMarketValue("AAPL", 189.22, 1678220098130L).timestampMillis())
                .isEqualTo(1678220098130L);
    }

    @Test
    void nanosecondTimestampsBecomeMilliseconds() {
        LimitUpLimitDown l =
                new LimitUpLimitDown(
                        "ATHR", 3.63, 2.97, new int[] {15}, 3, 1788877046310003385L, 3209681);
        assertThat(l.timestampMillis()).isEqualTo(1788877046310L);
        assertThat(l.kind().channel()).isEqualTo("LULD");
        Imbalance n =
                new Imbalance("NTEST.Q", 1601318039223013600L, 930, "M", 44, 10, 480, 440, 25.03);
        assertThat(n.timestampMillis()).isEqualTo(1601318039223L);
        assertThat(n.kind().channel()).isEqualTo("NOI");
    }

    @Test
    void recordsWithArraysCompareByContent() {
        assertThat(trade(new int[] {14, 41})).isEqualTo(trade(new int[] {14, 41}));
        assertThat(trade(new int[] {14, 41})).hasSameHashCodeAs(trade(new int[] {14, 41}));
        assertThat(trade(new int[] {14})).isNotEqualTo(trade(new int[] {41}));
        assertThat(trade(null).conditions()).isEmpty();
        assertThat(trade(null).toString()).contains("AAPL").contains("i=5096");
        Quote q1 =
                new Quote(
                        "MSFT",
                        4,
                        114.125,
                        100,
                        7,
                        114.128,
                        160,
                        0,
                        new int[] {604},
                        1536036818784L,
                        50385480,
                        3);
        Quote q2 =
                new Quote(
                        "MSFT",
                        4,
                        114.125,
                        100,
                        7,
                        114.128,
                        160,
                        0,
                        new int[] {604},
                        1536036818784L,
                        50385480,
                        3);
        assertThat(q1).isEqualTo(q2).hasSameHashCodeAs(q2);
        assertThat(q1.toString()).contains("MSFT");
        assertThat(new Quote("MSFT", 4, 1, 1, 7, 2, 1, 0, null, 5, 6, 3).indicators()).isEmpty();
        LimitUpLimitDown l1 = new LimitUpLimitDown("A", 1, 2, new int[] {1}, 3, 4, 5);
        LimitUpLimitDown l2 = new LimitUpLimitDown("A", 1, 2, new int[] {1}, 3, 4, 5);
        assertThat(l1).isEqualTo(l2).hasSameHashCodeAs(l2);
        assertThat(l1.toString()).contains("LULD[A");
        assertThat(new LimitUpLimitDown("A", 1, 2, null, 3, 4, 5).indicators()).isEmpty();
    }

    @Test
    void symbolsAreRequired() {
        assertThat(trade(null)).isNotEqualTo(null).isNotEqualTo("AAPL");
        assertThatThrownBy(() -> new FairMarketValue(null, 1, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("symbol is null");
    }

    @Test
    void statusEventsValidateAndCopy() {
        Instant now = Instant.EPOCH;
        assertThat(new StatusEvent.ServerStatus("c1", "error", null, now).message()).isEmpty();
        assertThat(new StatusEvent.SubscriptionRefused("A", null, "r", now).connectionId())
                .isEmpty();
        List<String> symbols = new java.util.ArrayList<>(List.of("A"));
        StatusEvent.TickersMoved m = new StatusEvent.TickersMoved("c1", "c2", symbols, "x", now);
        symbols.add("B");
        assertThat(m.symbols()).containsExactly("A");
        StatusEvent.Gap g = new StatusEvent.Gap("A", "c1", now, now.plusSeconds(1), "abort", now);
        assertThat(g.to()).isAfter(g.from());
        assertThatThrownBy(() -> new StatusEvent.Gap("A", "c1", null, now, "x", now))
                .isInstanceOf(NullPointerException.class);
    }
}
