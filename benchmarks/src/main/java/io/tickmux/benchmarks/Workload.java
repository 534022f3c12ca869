package io.tickmux.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the {@link ThroughputHarness} sender streams, and which tickers each receiving connection
 * subscribes to. The API key a client sends names the workload and the connection ({@code
 * trades-2}, {@code mixed-1}), so the sender knows what to stream on each socket.
 *
 * <ul>
 *   <li>{@link #TRADES}: the load harness's frames since issue 9: 100 trades per frame, one for
 *       each of the connection's 100 tickers, no sequence numbers.
 *   <li>{@link #MIXED}: frames of 100 events, 70% quotes and 30% trades, over 500 tickers split
 *       round-robin over the connections, each ticker drawn with a Zipf popularity skew (weight
 *       1/rank); every trade and quote has a sequence number ({@code q}) increasing per ticker from
 *       frame to frame, as the feed's do, so tickmux's repeat filter runs as in production.
 * </ul>
 *
 * Every event carries {@code t} and most {@code q}; the receivers fold {@code t % 1000 + q %
 * 1,000,000} of each event into a checksum that must match the sender's.
 */
enum Workload {
    TRADES,
    MIXED;

    /** Distinct frames per socket, replayed round and round. */
    static final int FRAMES = 64;

    static final int EVENTS_PER_FRAME = 100;

    private static final int MIXED_TICKERS = 500;

    /** Width of the {@code q} slot patched into each mixed frame before it is sent. */
    static final int Q_DIGITS = 12;

    static final long Q_BASE = 100_000_000_000L;

    /**
     * @return the workload's name as it appears in API keys and on the command line
     */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Workload of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * @return the channels subscribed for each ticker
     */
    List<String> channels() {
        return this == TRADES ? List.of("T") : List.of("T", "Q");
    }

    /**
     * @param connection 1-based
     * @param connections how many connections the client runs
     * @return the tickers connection {@code connection} subscribes to
     */
    List<String> tickers(int connection, int connections) {
        List<String> t = new ArrayList<>();
        if (this == TRADES) {
            for (int i = 0; i < 100; i++) {
                t.add("S" + connection + "X" + i);
            }
        } else {
            for (int rank = connection - 1; rank < MIXED_TICKERS; rank += connections) {
                t.add("Z" + rank);
            }
        }
        return t;
    }

    /**
     * @return the subscribe message for those tickers on this workload's channels
     */
    String subscribe(List<String> tickers) {
        StringBuilder sb = new StringBuilder("{\"action\":\"subscribe\",\"params\":\"");
        boolean first = true;
        for (String c : channels()) {
            for (String s : tickers) {
                sb.append(first ? "" : ",").append(c).append('.').append(s);
                first = false;
            }
        }
        return sb.append("\"}").toString();
    }

    /**
     * One socket's frames. For {@link #MIXED} each frame has {@link #EVENTS_PER_FRAME} slots of
     * {@link #Q_DIGITS} digits ({@link Frame#qAt}) the sender fills before each send.
     *
     * @param symbols the tickers the socket subscribed to
     */
    List<Frame> frames(List<String> symbols) {
        List<Frame> frames = new ArrayList<>();
        Random random = new Random(symbols.hashCode());
        double[] cumulative = new double[symbols.size()];
        double sum = 0;
        for (int i = 0; i < symbols.size(); i++) {
            // weight 1/(global rank + 1): the popularity skew survives the round-robin split
            int rank = this == MIXED ? Integer.parseInt(symbols.get(i).substring(1)) : i;
            sum += 1.0 / (rank + 1);
            cumulative[i] = sum;
        }
        for (int f = 0; f < FRAMES; f++) {
            StringBuilder sb = new StringBuilder("[");
            List<Integer> qSlots = new ArrayList<>();
            int trades = 0;
            int quotes = 0;
            long checksum = 0;
            for (int i = 0; i < EVENTS_PER_FRAME; i++) {
                long t = 1_700_000_000_000L + f * 100 + i;
                checksum += t % 1000;
                sb.append(i == 0 ? "" : ",");
                if (this == TRADES) {
                    // the frames of LoadHarness, unchanged (t one per frame there; here per event)
                    sb.append("{\"ev\":\"T\",\"sym\":\"")
                            .append(symbols.get(i % symbols.size()))
                            .append("\",\"x\":4,\"i\":\"")
                            .append(f)
                            .append("\",\"z\":3,\"p\":114.125,\"s\":100,\"c\":[14,41],\"t\":")
                            .append(t)
                            .append("}");
                    trades++;
                    continue;
                }
                double u = random.nextDouble() * sum;
                int pick = 0;
                while (cumulative[pick] < u) {
                    pick++;
                }
                String sym = symbols.get(pick);
                if (random.nextDouble() < 0.7) {
                    quotes++;
                    sb.append("{\"ev\":\"Q\",\"sym\":\"")
                            .append(sym)
                            .append("\",\"bx\":")
                            .append(1 + random.nextInt(20))
                            .append(",\"bp\":")
                            .append(100 + random.nextInt(10_000) / 100.0)
                            .append(",\"bs\":")
                            .append(100 * (1 + random.nextInt(10)))
                            .append(",\"ax\":")
                            .append(1 + random.nextInt(20))
                            .append(",\"ap\":")
                            .append(100 + random.nextInt(10_000) / 100.0)
                            .append(",\"as\":")
                            .append(100 * (1 + random.nextInt(10)))
                            .append(",\"c\":1,\"i\":[604],\"t\":")
                            .append(t)
                            .append(",\"q\":");
                } else {
                    trades++;
                    sb.append("{\"ev\":\"T\",\"sym\":\"")
                            .append(sym)
                            .append("\",\"i\":\"")
                            .append(52_983_525_029_461L + random.nextInt(1_000_000))
                            .append("\",\"x\":")
                            .append(1 + random.nextInt(20))
                            .append(",\"p\":")
                            .append(100 + random.nextInt(10_000) / 100.0)
                            .append(",\"s\":")
                            .append(1 + random.nextInt(500))
                            .append(",\"c\":[12,37],\"t\":")
                            .append(t)
                            .append(",\"q\":");
                }
                qSlots.add(sb.length());
                sb.append("0".repeat(Q_DIGITS)).append(",\"z\":").append(1 + random.nextInt(3));
                sb.append('}');
            }
            sb.append(']');
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8); // ASCII: chars = bytes
            frames.add(
                    new Frame(
                            bytes,
                            qSlots.stream().mapToInt(Integer::intValue).toArray(),
                            trades,
                            quotes,
                            checksum));
        }
        return frames;
    }

    /**
     * A pre-built frame.
     *
     * @param bytes its UTF-8 text
     * @param qAt where each event's {@code q} digits start ({@link #MIXED} only)
     * @param trades trades in it
     * @param quotes quotes in it
     * @param checksum of its {@code t} values (the {@code q} part is added as they are filled)
     */
    record Frame(byte[] bytes, int[] qAt, int trades, int quotes, long checksum) {}

    /**
     * One event's part of the checksum every receiver computes.
     *
     * @param t the event's timestamp
     * @param q its sequence number, or a negative number when it has none
     */
    static long check(long t, long q) {
        return t % 1000 + (q > 0 ? q % 1_000_000 : 0);
    }
}
