package io.tickmux.benchmarks;

import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.event.Trade;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * End-to-end throughput over loopback: a sender in a separate JVM replays pre-built Massive frames
 * (100 trades each) as fast as each receiver takes them, and the same run measures (a) a bare
 * Java-WebSocket client that parses every event with Jackson streaming and counts it, (b) tickmux
 * with 1 connection and (c) tickmux with 3, each delivering to a counting listener.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.LoadHarness [seconds]
 * java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.LoadHarness latency [seconds]
 * java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.LoadHarness soak [minutes]</pre>
 *
 * The sender keeps at most a few frames queued per socket, so it never buffers without bound and
 * the receiver sets the pace. Reports events/s per case and the ratio to the bare client, then
 * latency at a fixed 100,000 events/s (frame send to listener over loopback, then frame receipt to
 * listener in process: {@link ReceiptLatency}), then the {@link FailoverHarness failover figures}.
 * {@code latency} runs only the latency cases.
 */
public final class LoadHarness {

    private static final int TICKERS_PER_CONNECTION = 100;
    private static final String LATENCY_KEY = "latency-key";
    private static final Pattern SUBSCRIBE = Pattern.compile("\"params\"\\s*:\\s*\"([^\"]*)\"");

    private LoadHarness() {}

    /**
     * @param args {@code [seconds]} to measure each case (default 10); {@code soak [minutes]} for
     *     the soak (default 30); {@code sender <port>} is how the harness starts its sender JVM
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sender")) {
            Sender s = new Sender(Integer.parseInt(args[1]));
            s.setReuseAddr(true);
            s.setTcpNoDelay(true); // frames leave at once, as a market-data server sends them
            s.start();
            System.out.println("ready");
            System.out.flush();
            Thread.currentThread().join(); // until the driver destroys this process
            return;
        }
        boolean soak = args.length > 0 && args[0].equals("soak");
        boolean failed = false;
        boolean latencyOnly = args.length > 0 && args[0].equals("latency");
        int seconds =
                soak
                        ? 0
                        : latencyOnly
                                ? (args.length > 1 ? Integer.parseInt(args[1]) : 10)
                                : args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double soakMinutes = soak && args.length > 1 ? Double.parseDouble(args[1]) : 30;
        int port = 20_000 + (int) (ProcessHandle.current().pid() % 20_000);
        Process sender =
                new ProcessBuilder(
                                System.getProperty("java.home") + "/bin/java",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LoadHarness.class.getName(),
                                "sender",
                                Integer.toString(port))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IllegalStateException("the sender JVM did not start");
            }
            String url = "ws://127.0.0.1:" + port + "/stocks";
            if (soak) {
                failed = !soak(url, soakMinutes);
            } else {
                failed = !measureAll(url, seconds, latencyOnly);
            }
        } finally {
            // before any exit: the sender JVM would otherwise outlive the harness
            sender.destroy();
            sender.waitFor(10, TimeUnit.SECONDS);
        }
        System.out.println(
                "machine: "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, "
                        + System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.version")
                        + " ("
                        + new File(System.getProperty("java.home")).getName()
                        + ")");
        if (failed) {
            System.out.println(
                    soak
                            ? "FAIL: the soak did not pass (see above)"
                            : "FAIL: trades lost outside a reported gap, or delivered twice");
            System.exit(1);
        }
    }

    /**
     * Throughput (unless {@code latencyOnly}), latency, and the failover figures (unless {@code
     * latencyOnly}).
     *
     * @return false when the failover runs lost or repeated a trade
     */
    private static boolean measureAll(String url, int seconds, boolean latencyOnly)
            throws Exception {
        if (!latencyOnly) {
            double bare = bare(url, 1, seconds);
            System.out.printf("bare client, 1 connection    %,12.0f events/s%n", bare);
            double one = tickmux(url, 1, seconds);
            System.out.printf(
                    "tickmux, 1 connection        %,12.0f events/s  (%.2f x bare)%n",
                    one, one / bare);
            double bare3 = bare(url, 3, seconds);
            System.out.printf("bare client, 3 connections   %,12.0f events/s%n", bare3);
            double three = tickmux(url, 3, seconds);
            System.out.printf(
                    "tickmux, 3 connections       %,12.0f events/s  (%.2f x bare, 3 connections)%n",
                    three, three / bare3);
        }
        Histogram bareLatency = new Histogram(3);
        bare(url, seconds, LATENCY_KEY, latency(bareLatency));
        Histogram ours = new Histogram(3);
        tickmux(url, 1, seconds, LATENCY_KEY, latency(ours));
        System.out.println("latency at 100,000 events/s, frame send to listener call (µs):");
        print("bare client", bareLatency);
        print("tickmux, 1 connection", ours);
        ReceiptLatency.run(seconds);
        return latencyOnly || FailoverHarness.run(3);
    }

    /**
     * Soak: tickmux with 3 connections at a sustained 300,000 events/s (the paced sender on each)
     * for {@code minutes}; every 10 s the heap after a full GC is sampled. The slope over the last
     * 80% of the samples (least squares) must stay under 1 MiB per 10 minutes, else it fails.
     */
    private static boolean soak(String url, double minutes) throws Exception {
        LongAdder events = new LongAdder();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<double[]> samples = new ArrayList<>(); // minutes, MiB
        try (MultiConnectionManager manager =
                connected(url, 3, LATENCY_KEY, e -> events.increment())) {
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            long lastEvents = events.sum();
            while (System.nanoTime() < end) {
                TimeUnit.SECONDS.sleep(10);
                System.gc();
                double at = (System.nanoTime() - start) / 60e9;
                double mib = memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
                long n = events.sum();
                samples.add(new double[] {at, mib});
                System.out.printf(
                        "soak %6.2f min  heap after GC %7.2f MiB  %,9.0f events/s%n",
                        at, mib, (n - lastEvents) / 10.0);
                lastEvents = n;
            }
        }
        List<double[]> tail = samples.subList(samples.size() / 5, samples.size());
        if (tail.size() < 3) {
            System.out.println("soak: too short for a slope (need at least 40 s)");
            return false;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : tail) {
            mx += p[0];
            my += p[1];
        }
        mx /= tail.size();
        my /= tail.size();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : tail) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        double slope = sxy / sxx; // MiB per minute
        boolean ok = slope * 10 < 1.0;
        System.out.printf(
                "soak: heap slope %+.3f MiB per 10 min over %d samples: %s%n",
                slope * 10, tail.size(), ok ? "OK" : "FAIL (growth)");
        return ok;
    }

    private static void print(String name, Histogram h) {
        System.out.printf(
                "  %-22s p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %8.1f  (%,d events)%n",
                name,
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3,
                h.getTotalCount());
    }

    /**
     * Takes each trade's sequence number, which the paced sender sets to its send time, on the one
     * thread that receives it; {@link #measure} switches it on after the warm-up.
     */
    abstract static class Probe implements BareParse.Trades {
        volatile boolean on;

        @Override
        public final void trade(long sentNanos) {
            if (on) {
                take(sentNanos, System.nanoTime());
            }
        }

        abstract void take(long sentNanos, long nowNanos);
    }

    /** Frame send to this call, into {@code h} (read once the client is closed). */
    private static Probe latency(Histogram h) {
        return new Probe() {
            @Override
            void take(long sentNanos, long nowNanos) {
                h.recordValue(Math.max(0, nowNanos - sentNanos));
            }
        };
    }

    /**
     * Events/s bare Java-WebSocket + Jackson-streaming clients on {@code connections} sockets (each
     * its own read thread, 100 tickers each) receive and parse.
     */
    private static double bare(String url, int connections, int seconds) throws Exception {
        LongAdder events = new LongAdder();
        List<WebSocketClient> clients = new ArrayList<>();
        try {
            for (int c = 1; c <= connections; c++) {
                clients.add(bareClient(url, "bench" + c, c, events, null));
            }
            return measure(events, seconds, null);
        } finally {
            for (WebSocketClient c : clients) {
                c.closeBlocking();
            }
        }
    }

    /**
     * @param probe when not null, takes every trade's sequence number ({@code q}) as it is parsed
     */
    private static double bare(String url, int seconds, String key, Probe probe) throws Exception {
        LongAdder events = new LongAdder();
        WebSocketClient c = bareClient(url, key, 1, events, probe);
        try {
            return measure(events, seconds, probe);
        } finally {
            c.closeBlocking();
        }
    }

    /**
     * A connected bare client: auth, subscribe to connection {@code connection}'s tickers, parse
     * every value.
     */
    private static WebSocketClient bareClient(
            String url, String key, int connection, LongAdder events, BareParse.Trades sequences)
            throws InterruptedException {
        BareParse bare = new BareParse();
        WebSocketClient c =
                new WebSocketClient(URI.create(url)) {
                    @Override
                    public void onOpen(ServerHandshake h) {
                        send("{\"action\":\"auth\",\"params\":\"" + key + "\"}");
                    }

                    @Override
                    public void onMessage(String m) {
                        if (m.contains("auth_success")) {
                            send(subscribe(connection));
                            return;
                        }
                        try {
                            events.add(bare.parse(m, sequences == null ? q -> {} : sequences));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public void onClose(int code, String reason, boolean remote) {}

                    @Override
                    public void onError(Exception e) {
                        e.printStackTrace();
                    }
                };
        c.setTcpNoDelay(true);
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the bare client could not connect to " + url);
        }
        return c;
    }

    /** Events/s tickmux delivers to a counting listener over {@code connections} sockets. */
    private static double tickmux(String url, int connections, int seconds) throws Exception {
        return tickmux(url, connections, seconds, "bench", null);
    }

    /**
     * @param probe when not null, takes every trade's sequence number as it is delivered
     */
    private static double tickmux(String url, int connections, int seconds, String key, Probe probe)
            throws Exception {
        LongAdder events = new LongAdder();
        try (MultiConnectionManager manager =
                connected(url, connections, key, counting(events, probe))) {
            return measure(events, seconds, probe);
        }
    }

    private static TickListener counting(LongAdder events, BareParse.Trades sequences) {
        return e -> {
            events.increment();
            if (sequences != null && e instanceof Trade t) {
                sequences.trade(t.sequence());
            }
        };
    }

    /**
     * A manager on the Massive transport with {@code connections} sockets of 100 tickers each, API
     * keys {@code key1, key2, ...} (a key holding {@link #LATENCY_KEY} gets the paced sender),
     * every ticker acknowledged.
     */
    private static MultiConnectionManager connected(
            String url, int connections, String key, TickListener listener)
            throws InterruptedException {
        MultiConnectionManager.Builder b =
                MassiveManagers.builder(url, "channels = [T]").tickListener(listener);
        MassiveManagers.connections(b, connections, key, 20_000);
        Map<String, List<String>> plan = new LinkedHashMap<>();
        for (int c = 1; c <= connections; c++) {
            plan.put("c" + c, tickers(c));
        }
        MultiConnectionManager manager = b.build();
        if (!manager.connectAll(plan, Duration.ofSeconds(30))) {
            manager.close();
            throw new IllegalStateException("not every ticker was acknowledged");
        }
        return manager;
    }

    private static double measure(LongAdder events, int seconds, Probe probe)
            throws InterruptedException {
        // 2 s of warm-up, then the measured window
        TimeUnit.SECONDS.sleep(2);
        if (probe != null) {
            probe.on = true;
        }
        long start = System.nanoTime();
        long before = events.sum();
        TimeUnit.SECONDS.sleep(seconds);
        long n = events.sum() - before;
        if (probe != null) {
            probe.on = false;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static List<String> tickers(int connection) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < TICKERS_PER_CONNECTION; i++) {
            t.add("S" + connection + "X" + i);
        }
        return t;
    }

    private static String subscribe(int connection) {
        StringBuilder sb = new StringBuilder("{\"action\":\"subscribe\",\"params\":\"");
        List<String> t = tickers(connection);
        for (int i = 0; i < t.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("T.").append(t.get(i));
        }
        return sb.append("\"}").toString();
    }

    /** The sender: the Massive handshake, then pre-built frames as fast as each socket drains. */
    static final class Sender extends WebSocketServer {

        Sender(int port) {
            super(new InetSocketAddress("127.0.0.1", port));
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.send(
                    "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            if (message.contains("\"auth\"")) {
                conn.setAttachment(message.contains(LATENCY_KEY) ? "paced" : "stream");
                conn.send(
                        "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
                return;
            }
            Matcher m = SUBSCRIBE.matcher(message);
            if (!message.contains("\"subscribe\"") || !m.find()) {
                return;
            }
            List<String> symbols = new ArrayList<>();
            StringBuilder acks = new StringBuilder("[");
            for (String topic : m.group(1).split(",")) {
                symbols.add(topic.substring(topic.indexOf('.') + 1));
                acks.append(acks.length() > 1 ? "," : "")
                        .append(
                                "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: ")
                        .append(topic)
                        .append("\"}");
            }
            conn.send(acks.append("]").toString());
            boolean paced = "paced".equals(conn.getAttachment());
            Thread t =
                    new Thread(
                            () -> {
                                if (paced) {
                                    paced(conn, symbols);
                                } else {
                                    stream(conn, symbols);
                                }
                            },
                            "bench-sender");
            t.setDaemon(true);
            t.start();
        }

        private static void stream(WebSocket conn, List<String> symbols) {
            // 64 distinct frames of one trade per symbol, replayed round and round
            List<String> frames = new ArrayList<>();
            for (int f = 0; f < 64; f++) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < symbols.size(); i++) {
                    sb.append(i == 0 ? "" : ",")
                            .append("{\"ev\":\"T\",\"sym\":\"")
                            .append(symbols.get(i))
                            .append("\",\"x\":4,\"i\":\"")
                            .append(f)
                            .append("\",\"z\":3,\"p\":114.125,\"s\":100,\"c\":[14,41],\"t\":")
                            .append(1_700_000_000_000L + f)
                            .append("}");
                }
                frames.add(sb.append("]").toString());
            }
            WebSocketImpl impl = (WebSocketImpl) conn;
            int next = 0;
            while (conn.isOpen()) {
                if (impl.outQueue.size() >= 8) {
                    // park, not spin: on 2 cores a spinning sender would take the receiver's CPU
                    LockSupport.parkNanos(20_000);
                    continue;
                }
                try {
                    conn.send(frames.get(next++ & 63));
                } catch (WebsocketNotConnectedException e) {
                    return; // the receiver closed between the check and the send
                }
            }
        }

        /**
         * One frame of 100 trades per millisecond (100,000 events/s), each trade's sequence number
         * ({@code q}) the send time in {@link System#nanoTime()}: one monotonic clock for every JVM
         * on the host, so the receiver can take frame-send to listener-call latency.
         */
        private static void paced(WebSocket conn, List<String> symbols) {
            long deadline = System.nanoTime();
            while (conn.isOpen()) {
                deadline += 1_000_000;
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    conn.send(ReceiptLatency.frame(symbols, System.nanoTime()));
                } catch (WebsocketNotConnectedException e) {
                    return;
                }
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

        @Override
        public void onError(WebSocket conn, Exception ex) {}

        @Override
        public void onStart() {}
    }
}
