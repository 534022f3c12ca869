package io.tickmux.examples.quickstart;

import java.util.ArrayList;
import java.util.List;

/** A built-in universe: well-known US symbols first, then synthetic ones to reach the count. */
final class Universe {

    private static final List<String> KNOWN =
            List.of(
                    "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "AVGO", "ORCL", "AMD",
                    "NFLX", "ADBE", "CRM", "INTC", "CSCO", "QCOM", "TXN", "IBM", "NOW", "INTU",
                    "JPM", "BAC", "WFC", "GS", "MS", "C", "V", "MA", "AXP", "BLK", "SCHW", "BRK.A",
                    "BRK.B", "UNH", "JNJ", "PFE", "ABBV", "TMO", "MRK", "LLY", "ABT", "DHR", "BMY",
                    "AMGN", "XOM", "CVX", "COP", "SLB", "EOG", "OXY", "PSX", "MPC", "KO", "PEP",
                    "WMT", "COST", "HD", "MCD", "NKE", "SBUX", "DIS", "CMCSA", "T", "VZ", "BA",
                    "CAT", "GE", "HON", "UPS", "RTX", "LMT", "DE", "MMM", "SPY", "QQQ", "IWM",
                    "DIA");

    private Universe() {}

    static List<String> symbols(int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count && i < KNOWN.size(); i++) {
            out.add(KNOWN.get(i));
        }
        for (int i = 0; out.size() < count; i++) {
            out.add("SYN" + i);
        }
        return out;
    }
}
