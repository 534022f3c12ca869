package io.tickmux.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.internal.EventChunks;
import io.tickmux.transport.massive.internal.FrameParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Added latency from frame receipt to listener call, without the network: one thread takes each
 * frame (100 trades, one frame per millisecond, so 100,000 events/s) as the socket's read thread
 * gets it from Java-WebSocket, and times each trade from that moment to the moment the client has
 * it: for tickmux, the production path (the Massive transport's parser and {@link EventChunks}, the
 * manager in direct dispatch, the listener); for the bare client, a Jackson streaming parse that
 * reads every value and has a trade at its closing brace. Both take the same frames, alternating
 * which goes first. No sockets, no other threads, no wake-ups: what is left is what each client
 * does per event, and the difference per trade is what tickmux adds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.ReceiptLatency [seconds]
 * </pre>
 */
public final class ReceiptLatency {

    private static final int TRADES = 100;

    /** When the listener got each trade of the current frame (one thread writes and reads). */
    private static final long[] delivered = new long[TRADES];

    private static int deliveredCount;

    private ReceiptLatency() {}

    /**
     * @param args {@code [seconds]} measured (default 10), after 2 s of warm-up
     */
    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    }

    static void run(int seconds) throws Exception {
        CapturingTransport transport = new CapturingTransport();
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < TRADES; i++) {
            symbols.add("S1X" + i);
        }
        try (MultiConnectionManager manager =
                MultiConnectionManager.builder()
                        .settings(CoreSettings.parse("tickmux.core.dispatch.mode = direct"))
                        .transport(transport)
                        .tickListener(e -> delivered[deliveredCount++] = System.nanoTime())
                        .connection(ConnectionDefinition.of("c1"))
                        .build()) {
            if (!manager.connectAll(Map.of("c1", symbols), Duration.ofSeconds(10))) {
                throw new IllegalStateException("not every ticker was acknowledged");
            }
            TransportListener c1 = transport.listeners.get("c1");
            Tickmux ours = new Tickmux(c1);
            Bare bare = new Bare();
            Histogram tickmuxHist = new Histogram(3);
            Histogram bareHist = new Histogram(3);
            int frames = seconds * 1000;
            long[] added = new long[frames * TRADES];
            int n = 0;
            long sequence = 0;
            long deadline = System.nanoTime();
            for (int f = -2000; f < frames; f++) {
                String frame = frame(symbols, sequence);
                sequence += 1;
                deadline += 1_000_000;
                while (System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // paced: one frame per millisecond
                }
                long[] t;
                long[] b;
                if ((f & 1) == 0) {
                    t = ours.take(frame);
                    b = bare.take(frame);
                } else {
                    b = bare.take(frame);
                    t = ours.take(frame);
                }
                if (f < 0) {
                    continue; // warm-up
                }
                for (int i = 0; i < TRADES; i++) {
                    tickmuxHist.recordValue(t[i]);
                    bareHist.recordValue(b[i]);
                    added[n++] = t[i] - b[i];
                }
            }
            Arrays.sort(added, 0, n);
            System.out.println(
                    "frame receipt to the client having each trade, in process, 100 trades per"
                            + " frame, 100,000 events/s (µs):");
            print("bare client", bareHist);
            print("tickmux, direct", tickmuxHist);
            System.out.printf(
                    "  %-22s p50 %7.2f  p99 %7.2f  p99.9 %7.2f  max %8.2f  (%,d trades)%n",
                    "added, per trade",
                    added[n / 2] / 1e3,
                    added[(int) (n * 0.99)] / 1e3,
                    added[(int) (n * 0.999)] / 1e3,
                    added[n - 1] / 1e3,
                    n);
        }
    }

    private static void print(String name, Histogram h) {
        System.out.printf(
                "  %-22s p50 %7.2f  p99 %7.2f  p99.9 %7.2f  max %8.2f%n",
                name,
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }

    /**
     * A frame of one trade per symbol, each with {@code sequence} as its trade id and sequence
     * number (the paced sender passes its send time).
     */
    static String frame(List<String> symbols, long sequence) {
        StringBuilder sb = new StringBuilder(symbols.size() * 110).append('[');
        for (int i = 0; i < symbols.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"ev\":\"T\",\"sym\":\"")
                    .append(symbols.get(i))
                    .append("\",\"x\":4,\"i\":\"")
                    .append(sequence)
                    .append("\",\"z\":3,\"p\":114.125,\"s\":100,\"c\":[14,41],\"q\":")
                    .append(sequence)
                    .append(",\"t\":1700000000000}");
        }
        return sb.append(']').toString();
    }

    /**
     * The Massive transport's path for one frame (direct parsing): parse its bytes, hand over in
     * chunks, flush at the end.
     */
    private static final class Tickmux implements FrameParser.Sink {
        // as MassiveTransportFactory builds it
        private final FrameParser parser =
                new FrameParser(
                        JsonFactory.builder()
                                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                                .build());
        private final EventChunks chunks;
        private final long[] out = new long[TRADES];

        Tickmux(TransportListener listener) {
            chunks =
                    new EventChunks(
                            listener,
                            e -> {
                                throw e;
                            });
        }

        /** The frame's bytes, as the transport's read thread has them (not timed). */
        long[] take(String frame) throws IOException {
            byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
            deliveredCount = 0;
            long receivedAt = System.nanoTime();
            parser.parse(utf8, 0, utf8.length, this);
            chunks.flush();
            if (deliveredCount != TRADES) {
                throw new IllegalStateException(
                        "tickmux delivered " + deliveredCount + " of " + TRADES + " trades");
            }
            for (int i = 0; i < TRADES; i++) {
                out[i] = delivered[i] - receivedAt;
            }
            return out;
        }

        @Override
        public void event(MarketEvent event) {
            chunks.add(event);
        }

        @Override
        public void status(String status, String message) {
            chunks.flush();
        }

        @Override
        public void skipped(String kind, String detail) {
            throw new IllegalStateException(kind + ": " + detail);
        }
    }

    /** The bare client ({@link BareParse}): each trade timed at its closing brace. */
    private static final class Bare implements BareParse.Trades {
        private final BareParse parse = new BareParse();
        private final long[] out = new long[TRADES];
        private int n;
        private long start;

        long[] take(String frame) throws IOException {
            n = 0;
            start = System.nanoTime();
            parse.parse(frame, this);
            if (n != TRADES) {
                throw new IllegalStateException("the bare client read " + n + " trades");
            }
            return out;
        }

        @Override
        public void trade(long sequence) {
            out[n++] = System.nanoTime() - start;
        }
    }
}
