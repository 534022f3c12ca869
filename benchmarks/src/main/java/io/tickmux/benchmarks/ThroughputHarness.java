package io.tickmux.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Throughput side by side in one run: the bare Java-WebSocket + Jackson-streaming client, tickmux
 * (Massive transport, direct dispatch, or with the parsing stage) and the official JavaScript
 * client {@code @massive.com/client-js} on Node, each in a process of its own, against one sender
 * JVM ({@link ThroughputSender}) streaming the same frames to every contender as fast as it reads
 * them. Two {@link Workload workloads} (today's 100-trade frames and a mixed, skewed one), 1 and 3
 * connections, warm-up then a measured window, several repetitions in rotating order. Every event
 * is counted and checked against what the sender sent (counts by kind and a checksum over {@code t}
 * and {@code q}); CPU per event is the receiver process's user + system time from {@code
 * /proc/<pid>/stat} over the window. Prints a markdown table; exits 1 when any check failed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.ThroughputHarness [--quick]
 *     [--warmup 15] [--measure 10] [--reps 3] [--workloads trades,mixed] [--connections 1,3]
 *     [--contenders bare,tickmux,js] [--receiver-jvm "-Xmx1g ..."]</pre>
 *
 * Contenders: {@code bare}, {@code tickmux} (direct parsing on the read thread), {@code
 * tickmux-staged} (the parsing stage, {@code parsing = stage}), {@code js}, and {@code
 * tickmux-before}: tickmux from another build ({@code -Dtickmux.before.jar=...}), for a before and
 * after in one run. The JavaScript client is installed with {@code npm install} into {@code
 * -Dtickmux.js.dir} (default {@code java.io.tmpdir/tickmux-js-client}) on first use.
 */
public final class ThroughputHarness {

    static final String JS_CLIENT = "@massive.com/client-js@10.8.0";
    private static final String JS_SCRIPT = "massive-client-js-bench.mjs";

    private ThroughputHarness() {}

    /**
     * @param args options (see the class comment); {@code sender <port>} and {@code receiver
     *     <contender> <url> <connections> <workload> [hocon]} are how it starts its processes
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sender")) {
            ThroughputSender.run(Integer.parseInt(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("receiver")) {
            String contender = args[1];
            String extra = args.length > 5 ? args[5] : "";
            ThroughputReceiver.run(
                    contender, args[2], Integer.parseInt(args[3]), Workload.of(args[4]), extra);
            return;
        }
        Options o = Options.parse(args);
        System.exit(new ThroughputHarness.Run(o).all() ? 0 : 1);
    }

    /** Command-line options. */
    static final class Options {
        int warmup = 15;
        int measure = 10;
        int reps = 3;
        List<Workload> workloads = List.of(Workload.TRADES, Workload.MIXED);
        List<Integer> connections = List.of(1, 3);
        List<String> contenders = List.of("bare", "tickmux", "js");
        String receiverJvm = "-Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.warmup = 4;
                        o.measure = 4;
                        o.reps = 1;
                    }
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--measure" -> o.measure = Integer.parseInt(args[++i]);
                    case "--reps" -> o.reps = Integer.parseInt(args[++i]);
                    case "--workloads" ->
                            o.workloads =
                                    Arrays.stream(args[++i].split(",")).map(Workload::of).toList();
                    case "--connections" ->
                            o.connections =
                                    Arrays.stream(args[++i].split(","))
                                            .map(Integer::valueOf)
                                            .toList();
                    case "--contenders" -> o.contenders = List.of(args[++i].split(","));
                    case "--receiver-jvm" -> o.receiverJvm = args[++i];
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown option "
                                            + a
                                            + "; options: --quick --warmup S --measure S --reps N"
                                            + " --workloads trades,mixed --connections 1,3"
                                            + " --contenders bare,tickmux,tickmux-staged,tickmux-before,js"
                                            + " --receiver-jvm \"JVM options\"");
                }
            }
            return o;
        }
    }

    /**
     * One case's result.
     *
     * @param eventsPerSecond events the receiver took per second in the measured window
     * @param cpuNanosPerEvent the receiver process's CPU time per event in the window
     * @param senderCpuNanosPerEvent the sender process's CPU time per event in the window
     * @param load the 1-minute load average as the case started
     * @param problem null when every event sent was received exactly, else what differed
     */
    record Result(
            double eventsPerSecond,
            double cpuNanosPerEvent,
            double senderCpuNanosPerEvent,
            double load,
            String problem) {}

    /** The whole run: the sender, then every case. */
    static final class Run {
        private final Options o;
        private Process sender;
        private BufferedReader senderOut;
        private PrintWriter senderIn;
        private String url;
        private Path jsDir;

        Run(Options o) {
            this.o = o;
        }

        boolean all() throws Exception {
            if (o.contenders.contains("js")) {
                jsDir = installJsClient();
            }
            int port = 20_000 + (int) (ProcessHandle.current().pid() % 20_000);
            sender =
                    java(
                            List.of(),
                            System.getProperty("java.class.path"),
                            "sender",
                            Integer.toString(port));
            senderOut = reader(sender.getInputStream());
            senderIn = writer(sender);
            if (!"ready".equals(senderOut.readLine())) {
                throw new IllegalStateException("the sender JVM did not start");
            }
            url = "ws://127.0.0.1:" + port + "/stocks";
            // workload -> connections -> contender -> results of each repetition
            Map<String, List<Result>> results = new LinkedHashMap<>();
            boolean ok = true;
            String loadBefore = loadAverage();
            try {
                for (Workload w : o.workloads) {
                    for (int n : o.connections) {
                        for (int rep = 0; rep < o.reps; rep++) {
                            for (int k = 0; k < o.contenders.size(); k++) {
                                String c = o.contenders.get((k + rep) % o.contenders.size());
                                Result r = runCase(c, w, n);
                                System.out.printf(
                                        Locale.ROOT,
                                        "%-7s %d conn  %-15s rep %d  %,12.0f events/s  %6.3f µs"
                                                + " CPU/event (sender %.3f)  load %.2f  %s%n",
                                        w.id(),
                                        n,
                                        c,
                                        rep + 1,
                                        r.eventsPerSecond(),
                                        r.cpuNanosPerEvent() / 1000,
                                        r.senderCpuNanosPerEvent() / 1000,
                                        r.load(),
                                        r.problem() == null ? "checked" : "FAIL " + r.problem());
                                ok &= r.problem() == null;
                                results.computeIfAbsent(key(w, n, c), x -> new ArrayList<>())
                                        .add(r);
                            }
                        }
                    }
                }
            } finally {
                sender.destroy();
                sender.waitFor(10, TimeUnit.SECONDS);
            }
            System.out.println();
            System.out.println(table(results, loadBefore, loadAverage()));
            System.out.println(
                    "machine: "
                            + Runtime.getRuntime().availableProcessors()
                            + " cores, "
                            + System.getProperty("java.vm.name")
                            + " "
                            + System.getProperty("java.version")
                            + ", node "
                            + (jsDir == null ? "-" : nodeVersion()));
            if (!ok) {
                System.out.println("FAIL: a receiver did not get exactly what was sent");
            }
            return ok;
        }

        private static String key(Workload w, int n, String c) {
            return w.id() + "|" + n + "|" + c;
        }

        /** The markdown table: medians (and ranges) over repetitions, ratios per repetition. */
        private String table(Map<String, List<Result>> results, String load0, String load1) {
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%d repetition(s) of %d s warm-up + %d s measured; load average"
                                    + " before %s, after %s%n%n",
                            o.reps,
                            o.warmup,
                            o.measure,
                            load0,
                            load1));
            sb.append(
                    "| workload | connections | client | events/s (median, range) | CPU µs/event"
                            + " | sender CPU µs/event | vs bare (per rep) | vs js (per rep) |\n");
            sb.append("|---|---|---|---|---|---|---|---|\n");
            for (Workload w : o.workloads) {
                for (int n : o.connections) {
                    List<Result> bare = results.get(key(w, n, "bare"));
                    List<Result> js = results.get(key(w, n, "js"));
                    for (String c : o.contenders) {
                        List<Result> rs = results.get(key(w, n, c));
                        double[] rates = rs.stream().mapToDouble(Result::eventsPerSecond).toArray();
                        double[] cpu = rs.stream().mapToDouble(Result::cpuNanosPerEvent).toArray();
                        double[] senderCpu =
                                rs.stream().mapToDouble(Result::senderCpuNanosPerEvent).toArray();
                        sb.append(
                                String.format(
                                        Locale.ROOT,
                                        "| %s | %d | %s | %s | %.3f | %.3f | %s | %s |%n",
                                        w.id(),
                                        n,
                                        c,
                                        range(rates),
                                        median(cpu) / 1000,
                                        median(senderCpu) / 1000,
                                        ratios(rs, bare, c.equals("bare")),
                                        ratios(rs, js, c.equals("js"))));
                    }
                }
            }
            return sb.toString();
        }

        private static String ratios(List<Result> rs, List<Result> base, boolean self) {
            if (self || base == null) {
                return "";
            }
            double[] r = new double[rs.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = rs.get(i).eventsPerSecond() / base.get(i).eventsPerSecond();
            }
            Arrays.sort(r);
            return r.length == 1
                    ? String.format(Locale.ROOT, "%.2f×", r[0])
                    : String.format(
                            Locale.ROOT, "%.2f× (%.2f–%.2f)", median(r), r[0], r[r.length - 1]);
        }

        private static String range(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length == 1
                    ? String.format(Locale.ROOT, "%.3f M", s[0] / 1e6)
                    : String.format(
                            Locale.ROOT,
                            "%.3f M (%.3f–%.3f)",
                            median(s) / 1e6,
                            s[0] / 1e6,
                            s[s.length - 1] / 1e6);
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            int m = s.length / 2;
            return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
        }

        /** One contender on one workload and connection count: start, warm up, measure, check. */
        private Result runCase(String contender, Workload w, int n) throws Exception {
            double load = Double.parseDouble(loadAverage().split(" ")[0]);
            Process p = start(contender, w, n);
            BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);
            Thread pump = pump(p.getInputStream(), lines, contender);
            PrintWriter in = writer(p);
            try {
                String first = lines.poll(60, TimeUnit.SECONDS);
                if (!"ready".equals(first)) {
                    throw new IllegalStateException(
                            contender + " did not get ready (said " + first + ")");
                }
                TimeUnit.SECONDS.sleep(o.warmup);
                long[] m0 = mark(in, lines);
                long cpu0 = cpuTicks(p.pid());
                long senderCpu0 = cpuTicks(sender.pid());
                long t0 = System.nanoTime();
                TimeUnit.SECONDS.sleep(o.measure);
                long[] m1 = mark(in, lines);
                long cpu1 = cpuTicks(p.pid());
                long senderCpu1 = cpuTicks(sender.pid());
                long t1 = System.nanoTime();
                // stop the sender, then wait for the receiver to take what is still in flight
                senderIn.println("stop");
                String[] sent = senderOut.readLine().split(" ");
                long[] expected = {
                    Long.parseLong(sent[1]), Long.parseLong(sent[2]), Long.parseLong(sent[3]), 0
                };
                long[] last = mark(in, lines);
                long stable = System.nanoTime();
                while (!Arrays.equals(last, expected)
                        && System.nanoTime() - stable < TimeUnit.SECONDS.toNanos(5)) {
                    TimeUnit.MILLISECONDS.sleep(50);
                    long[] now = mark(in, lines);
                    if (!Arrays.equals(now, last)) {
                        stable = System.nanoTime();
                        last = now;
                    }
                }
                long events = m1[0] + m1[1] - m0[0] - m0[1];
                double seconds = (t1 - t0) / 1e9;
                double cpuNanos = (cpu1 - cpu0) * (1e9 / CLOCK_TICKS);
                String problem =
                        Arrays.equals(last, expected)
                                ? null
                                : "received trades/quotes/checksum/errors "
                                        + Arrays.toString(last)
                                        + ", sent "
                                        + Arrays.toString(expected);
                double senderNanos = (senderCpu1 - senderCpu0) * (1e9 / CLOCK_TICKS);
                return new Result(
                        events / seconds, cpuNanos / events, senderNanos / events, load, problem);
            } finally {
                in.println("quit");
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                pump.join(1000);
            }
        }

        private static long[] mark(PrintWriter in, BlockingQueue<String> lines)
                throws InterruptedException {
            in.println("mark");
            String line = lines.poll(30, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("mark ")) {
                throw new IllegalStateException("no mark from the receiver (got " + line + ")");
            }
            String[] f = line.split(" ");
            return new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4])
            };
        }

        private Process start(String contender, Workload w, int n) throws IOException {
            if (contender.equals("js")) {
                StringBuilder cfg = new StringBuilder();
                cfg.append("{\"base\":\"")
                        .append(url, 0, url.length() - "/stocks".length())
                        .append("\",\"connections\":[");
                for (int c = 1; c <= n; c++) {
                    cfg.append(c > 1 ? "," : "")
                            .append("{\"key\":\"")
                            .append(w.id())
                            .append('-')
                            .append(c)
                            .append("\",\"subscribe\":")
                            .append(jsonString(w.subscribe(w.tickers(c, n))))
                            .append('}');
                }
                Path file = jsDir.resolve("config-" + w.id() + "-" + n + ".json");
                Files.writeString(file, cfg.append("]}").toString());
                return new ProcessBuilder("node", JS_SCRIPT, file.toString())
                        .directory(jsDir.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            }
            String extra =
                    switch (contender) {
                        case "tickmux", "bare", "tickmux-before" -> "";
                        case "tickmux-staged" -> "parsing = stage";
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown contender " + contender);
                    };
            String kind = contender.startsWith("tickmux") ? "tickmux" : contender;
            List<String> jvm =
                    o.receiverJvm.isBlank()
                            ? List.of()
                            : List.of(o.receiverJvm.trim().split("\\s+"));
            String classPath =
                    contender.equals("tickmux-before")
                            ? System.getProperty("tickmux.before.jar")
                            : System.getProperty("java.class.path");
            if (classPath == null) {
                throw new IllegalArgumentException(
                        "tickmux-before needs -Dtickmux.before.jar=<a benchmarks.jar built from the"
                                + " commit to compare with>");
            }
            return java(jvm, classPath, "receiver", kind, url, Integer.toString(n), w.id(), extra);
        }

        private static String jsonString(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        private static Process java(List<String> jvmOptions, String classPath, String... args)
                throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + "/bin/java");
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(ThroughputHarness.class.getName());
            cmd.addAll(List.of(args));
            return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }

        private static Thread pump(InputStream out, BlockingQueue<String> lines, String who) {
            Thread t =
                    new Thread(
                            () -> {
                                try (BufferedReader r = reader(out)) {
                                    String line;
                                    while ((line = r.readLine()) != null) {
                                        if (line.equals("ready") || line.startsWith("mark ")) {
                                            lines.put(line);
                                        } else {
                                            System.out.println("  [" + who + "] " + line);
                                        }
                                    }
                                } catch (IOException | InterruptedException e) {
                                    // the receiver ended
                                }
                            },
                            "harness-pump");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private static BufferedReader reader(InputStream in) {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        private static PrintWriter writer(Process p) {
            return new PrintWriter(
                    new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        /** Installs the official JavaScript client with npm, once. */
        private static Path installJsClient() throws IOException, InterruptedException {
            Path dir =
                    Path.of(
                            System.getProperty(
                                    "tickmux.js.dir",
                                    System.getProperty("java.io.tmpdir")
                                            + File.separator
                                            + "tickmux-js-client"));
            Files.createDirectories(dir);
            try (InputStream script = ThroughputHarness.class.getResourceAsStream(JS_SCRIPT)) {
                Files.write(dir.resolve(JS_SCRIPT), script.readAllBytes());
            }
            if (!Files.exists(dir.resolve("node_modules/@massive.com/client-js/package.json"))) {
                Files.writeString(
                        dir.resolve("package.json"),
                        "{\"name\":\"tickmux-js-bench\",\"private\":true,\"type\":\"module\"}");
                System.out.println("installing " + JS_CLIENT + " into " + dir);
                Process npm =
                        new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", JS_CLIENT)
                                .directory(dir.toFile())
                                .inheritIO()
                                .start();
                if (npm.waitFor() != 0) {
                    throw new IllegalStateException(
                            "npm install " + JS_CLIENT + " failed in " + dir);
                }
            }
            return dir;
        }

        private static String nodeVersion() {
            try {
                Process p = new ProcessBuilder("node", "--version").start();
                String v = reader(p.getInputStream()).readLine();
                p.waitFor();
                return v;
            } catch (IOException | InterruptedException e) {
                return "?";
            }
        }
    }

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on Linux). */
    private static final double CLOCK_TICKS = 100;

    /** A process's user + system CPU time in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // after the command name in parentheses: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
