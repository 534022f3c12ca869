package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's rounds: which events, for which tickers, with which numbers. */
class EventSynthesizerTest {

    private static final long NOW = 1_700_000_123_456L;

    private static List<String> described(List<MarketEvent> events) {
        return events.stream().map(e -> e.kind().channel() + "." + e.symbol()).toList();
    }

    @Test
    void oneEventPerChannelForEveryTickerNamedAWildcardStandingForTheUniverse() {
        EventSynthesizer synth =
                new EventSynthesizer(new FakeMarket(), List.of("AAPL", "MSFT"), false);
        List<MarketEvent> round =
                synth.round(List.of("Q.NVDA", "T.*", "T.AAPL", "LULD.AAPL", "AM.NVDA"), NOW);
        assertThat(described(round))
                .as("grouped by ticker in the order first named; no LULD event is made")
                .containsExactly("Q.NVDA", "AM.NVDA", "T.AAPL", "T.MSFT");
        assertThat(synth.round(List.of(), NOW)).isEmpty();
    }

    @Test
    void sequencesIncreasePerTickerAndTradeIdsNeverRepeat() {
        EventSynthesizer synth = new EventSynthesizer(new FakeMarket(), List.of(), false);
        List<Trade> trades = new ArrayList<>();
        List<Long> quoteSeqs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (MarketEvent e : synth.round(List.of("T.AAPL", "Q.AAPL", "T.MSFT"), NOW + i)) {
                if (e instanceof Trade t) {
                    trades.add(t);
                } else {
                    quoteSeqs.add(((Quote) e).sequence());
                }
            }
        }
        List<Long> aapl =
                trades.stream()
                        .filter(t -> t.symbol().equals("AAPL"))
                        .map(Trade::sequence)
                        .toList();
        assertThat(aapl).hasSize(20).isSorted().doesNotHaveDuplicates();
        assertThat(quoteSeqs)
                .as("one sequence per ticker across its channels")
                .doesNotContainAnyElementsOf(aapl);
        assertThat(trades.stream().map(Trade::tradeId)).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void aggregatesCoverTheSecondOrMinuteThatEndedLast() {
        EventSynthesizer synth = new EventSynthesizer(new FakeMarket(), List.of(), false);
        Aggregate second = (Aggregate) synth.make("A", "AAPL", NOW);
        assertThat(second.minute()).isFalse();
        assertThat(second.end()).isEqualTo(1_700_000_123_000L);
        assertThat(second.start()).isEqualTo(1_700_000_122_000L);
        Aggregate minute = (Aggregate) synth.make("AM", "AAPL", NOW);
        assertThat(minute.minute()).isTrue();
        assertThat(minute.end()).isEqualTo(1_700_000_100_000L);
        assertThat(minute.start()).isEqualTo(1_700_000_040_000L);
        assertThat(synth.make("NOI", "AAPL", NOW)).isNull();
    }

    @Test
    void aMarketThatTradesEverythingTradesTheUniverseAndEveryTickerEverHeld() {
        FakeMarket market = new FakeMarket();
        EventSynthesizer synth = new EventSynthesizer(market, List.of("AAPL"), true);
        assertThat(described(synth.round(List.of("A.TSLA"), NOW)))
                .containsExactly("A.TSLA", "T.TSLA", "Q.TSLA", "T.AAPL", "Q.AAPL");
        assertThat(market.listed()).containsExactly("TSLA");
        assertThat(described(synth.round(List.of(), NOW)))
                .as("TSLA no longer held, still listed")
                .containsExactlyInAnyOrder("T.AAPL", "Q.AAPL", "T.TSLA", "Q.TSLA");
    }
}
