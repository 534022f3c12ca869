package io.tickmux.fake;

import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the generator's events (reference §4): per round, one event per channel ({@code T}, {@code
 * Q}, {@code A}, {@code AM}; the other channels get none) for every ticker a topic names, a
 * wildcard standing for the universe; sequence numbers increasing per ticker with gaps, and unique
 * trade ids, from the {@link FakeMarket}. When the market trades everything (the REST API is on),
 * every universe ticker and every ticker ever held also trades and quotes in each round.
 * Thread-safe as far as the market is; the server calls it under its publish lock.
 */
final class EventSynthesizer {

    private final FakeMarket market;
    private final List<String> universe;
    private final boolean tradeEverything;

    /**
     * @param market the sequences, trade ids and listed tickers
     * @param universe what a wildcard stands for
     * @param tradeEverything whether every universe and listed ticker trades and quotes each round,
     *     held or not (and every ticker held is listed)
     */
    EventSynthesizer(FakeMarket market, List<String> universe, boolean tradeEverything) {
        this.market = market;
        this.universe = List.copyOf(universe);
        this.tradeEverything = tradeEverything;
    }

    /**
     * One round.
     *
     * @param topicsHeld the topics the live sessions hold, e.g. {@code T.AAPL}, {@code Q.*}
     * @param now the events' time, epoch milliseconds
     * @return the events, grouped by ticker in the order first named
     */
    List<MarketEvent> round(List<String> topicsHeld, long now) {
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (String topic : topicsHeld) {
            int dot = topic.indexOf('.');
            String channel = topic.substring(0, dot);
            String ticker = topic.substring(dot + 1);
            Collection<String> tickers = ticker.equals("*") ? universe : List.of(ticker);
            for (String t : tickers) {
                wanted.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(channel);
            }
        }
        if (tradeEverything) {
            wanted.keySet().forEach(market::list);
            Set<String> traded = new LinkedHashSet<>(universe);
            traded.addAll(market.listed());
            for (String t : traded) {
                Set<String> cs = wanted.computeIfAbsent(t, k -> new LinkedHashSet<>());
                cs.add("T");
                cs.add("Q");
            }
        }
        List<MarketEvent> round = new ArrayList<>();
        for (Map.Entry<String, Set<String>> w : wanted.entrySet()) {
            for (String channel : w.getValue()) {
                MarketEvent e = make(channel, w.getKey(), now);
                if (e != null) {
                    round.add(e);
                }
            }
        }
        return round;
    }

    /**
     * One event.
     *
     * @param channel a channel prefix
     * @param ticker a ticker
     * @param now the event's time, epoch milliseconds
     * @return a trade, quote, or second or minute aggregate (the window that ended last), or {@code
     *     null} for a channel the generator does not make
     */
    MarketEvent make(String channel, String ticker, long now) {
        long seq = market.nextSequence(ticker, 1 + (now & 1));
        double px = (10_000 + Math.floorMod(ticker.hashCode(), 40_000) + seq % 100) / 100.0;
        return switch (channel) {
            case "T" ->
                    new Trade(
                            ticker,
                            4,
                            Long.toString(market.nextTradeId()),
                            3,
                            px,
                            100,
                            null,
                            new int[] {12, 37},
                            now,
                            now - 3,
                            seq,
                            -1,
                            -1);
            case "Q" ->
                    new Quote(
                            ticker,
                            4,
                            px,
                            2,
                            7,
                            (Math.round(px * 100) + 1) / 100.0,
                            3,
                            0,
                            null,
                            now,
                            seq,
                            3);
            case "A", "AM" -> {
                boolean minute = channel.equals("AM");
                long end = now - now % (minute ? 60_000 : 1_000);
                yield new Aggregate(
                        ticker,
                        minute,
                        1200,
                        50_000 + seq,
                        px - 1,
                        px,
                        px,
                        px + 0.2,
                        px - 0.2,
                        px + 0.1,
                        px - 0.5,
                        100,
                        end - (minute ? 60_000 : 1_000),
                        end,
                        false,
                        null,
                        null);
            }
            default -> null;
        };
    }
}
