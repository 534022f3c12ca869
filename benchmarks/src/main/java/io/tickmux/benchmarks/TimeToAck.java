package io.tickmux.benchmarks;

import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time from start to every ticker acknowledged, over loopback against the fake Massive server, on
 * the real Massive transport: 3 connections × 100 tickers (the seed's floor: all 3 up in under 10
 * s) and 11,000 tickers on one connection (chunked subscribes, T and Q channels: 22,000 topics).
 * Each case runs {@code runs} times with a fresh server and manager; prints min, median and max.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.TimeToAck [runs]</pre>
 *
 * The server runs in the same JVM: this measures the handshake and subscription path, not
 * throughput. Exits non-zero if a run does not finish within 60 s.
 */
public final class TimeToAck {

    private TimeToAck() {}

    /**
     * @param args optional number of runs per case (default 10)
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        run("3 connections x 100 tickers", 3, 100, runs);
        run("1 connection x 11,000 tickers", 1, 11_000, runs);
    }

    private static void run(String name, int connections, int perConnection, int runs)
            throws Exception {
        long[] millis = new long[runs + 2];
        for (int r = 0; r < millis.length; r++) {
            millis[r] = once(connections, perConnection);
        }
        // the first two runs warm the JIT and are not counted
        long[] counted = Arrays.copyOfRange(millis, 2, millis.length);
        Arrays.sort(counted);
        System.out.printf(
                "%-32s runs=%d  min=%d ms  median=%d ms  max=%d ms%n",
                name, runs, counted[0], counted[counted.length / 2], counted[counted.length - 1]);
    }

    private static long once(int connections, int perConnection) throws Exception {
        try (FakeMassiveServer server = FakeMassiveServer.builder().build().start()) {
            MultiConnectionManager.Builder b =
                    MassiveManagers.builder(
                            server.url(), "channels = [T, Q], max-topics-per-message = 1000");
            MassiveManagers.connections(b, connections, "key", 20_000);
            Map<String, List<String>> plan = new LinkedHashMap<>();
            for (int c = 1; c <= connections; c++) {
                String id = "c" + c;
                List<String> tickers = new ArrayList<>(perConnection);
                for (int i = 0; i < perConnection; i++) {
                    tickers.add("S" + c + "X" + i);
                }
                plan.put(id, tickers);
            }
            try (MultiConnectionManager manager = b.build()) {
                long start = System.nanoTime();
                if (!manager.connectAll(plan, Duration.ofSeconds(60))) {
                    System.err.println("not every ticker was acknowledged within 60 s");
                    System.exit(1);
                }
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
    }
}
