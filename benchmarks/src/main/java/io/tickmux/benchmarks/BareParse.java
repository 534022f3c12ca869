package io.tickmux.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The bare client's work per frame, the baseline every benchmark compares tickmux with: Jackson
 * streaming over the frame, every value read (as a client that uses the events must), no event
 * records built. A trade is complete at its closing brace.
 */
final class BareParse {

    /** Told of each trade as the parse completes it. */
    interface Trades {
        /**
         * @param sequence the trade's {@code q}, or -1 when it has none
         */
        void trade(long sequence);
    }

    /** Keeps the parsed values alive so the JIT cannot skip reading them. */
    static volatile long blackhole;

    private final JsonFactory json = new JsonFactory();

    /**
     * @param frame a Massive frame
     * @param trades told of each trade ({@code "ev":"T"}) in frame order
     * @return the number of trades
     */
    int parse(String frame, Trades trades) throws IOException {
        int n = 0;
        long sink = 0;
        boolean trade = false;
        long sequence = -1;
        try (JsonParser p = json.createParser(frame)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case VALUE_STRING -> {
                        String v = p.getText();
                        trade |= v.equals("T") && "ev".equals(p.currentName());
                        sink += v.length();
                    }
                    case VALUE_NUMBER_INT -> {
                        long v = p.getLongValue();
                        if ("q".equals(p.currentName())) {
                            sequence = v;
                        }
                        sink += v;
                    }
                    case VALUE_NUMBER_FLOAT -> sink += (long) p.getDoubleValue();
                    case END_OBJECT -> {
                        if (trade) {
                            n++;
                            trades.trade(sequence);
                        }
                        trade = false;
                        sequence = -1;
                    }
                    default -> {}
                }
            }
        }
        blackhole += sink;
        return n;
    }
}
