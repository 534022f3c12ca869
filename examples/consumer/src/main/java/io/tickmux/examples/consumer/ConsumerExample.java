package io.tickmux.examples.consumer;

import io.tickmux.consumer.FileCheckpoint;
import io.tickmux.consumer.JetStreamSource;
import io.tickmux.consumer.RedisStreamSource;
import io.tickmux.consumer.RedisStreamsConsumer;
import io.tickmux.consumer.TickmuxConsumer;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A process on another host: reads the feed a tickmux gateway publishes (the quickstart with {@code
 * --sink nats}) and prints per-ticker counts and gaps every few seconds.
 *
 * <p>Usage: {@code java -jar tickmux-consumer-example.jar [--nats URL | --redis URL] [--stream
 * TICKMUX] [--prefix tickmux] [--durable NAME] [--tickers AAPL,MSFT] [--state FILE] [--every 5s]
 * [--duration 60s] [--top 10]}. With {@code --state}, the counts and the stream position are kept
 * together in one file, so a restart (or a {@code kill -9}) continues the counts exactly: nothing
 * lost, nothing counted twice.
 */
public final class ConsumerExample {

    private ConsumerExample() {}

    /**
     * Runs the example until Ctrl-C or the duration.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, new CountDownLatch(1)));
    }

    /**
     * Runs the example and returns its exit code.
     *
     * @param args command-line arguments
     * @param env the environment ({@code TICKMUX_NATS_URL}, {@code TICKMUX_REDIS_URL})
     * @param out where reports go
     * @param err where errors go
     * @param stop counted down to stop early (the shutdown hook does it on Ctrl-C)
     * @return 0 on success, 1 when the bus could not be read, 2 for bad arguments
     */
    static int run(
            String[] args,
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            CountDownLatch stop) {
        Options o;
        try {
            o = Options.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (o.help) {
            out.println(Options.USAGE);
            return 0;
        }
        FileCheckpoint checkpoint = null;
        Tally tally;
        if (o.state != null) {
            Tally[] holder = new Tally[1];
            try {
                checkpoint =
                        FileCheckpoint.at(
                                o.state, Duration.ofSeconds(1), () -> holder[0].toBytes());
                holder[0] = Tally.fromBytes(checkpoint.state());
            } catch (UncheckedIOException | IllegalArgumentException e) {
                err.println("consumer: " + e.getMessage());
                return 1;
            }
            tally = holder[0];
        } else {
            tally = new Tally();
        }
        AutoCloseable consumer;
        try {
            consumer = start(o, tally, checkpoint);
        } catch (Exception e) {
            err.println("consumer: " + e.getMessage());
            return 1;
        }
        out.printf(
                "consumer %s reading %s%s%n",
                o.durable,
                o.redis != null
                        ? "Redis Streams at " + o.redis
                        : "JetStream " + o.stream + " at " + o.nats,
                checkpoint != null
                        ? " (state in "
                                + o.state
                                + ", resuming after position "
                                + checkpoint.load()
                                + ")"
                        : "");
        ScheduledExecutorService reports =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "consumer-example-report");
                            t.setDaemon(true);
                            return t;
                        });
        Report report = new Report(tally, out, o.top);
        reports.scheduleAtFixedRate(
                report::print, o.every.toMillis(), o.every.toMillis(), TimeUnit.MILLISECONDS);
        Thread hook = new Thread(stop::countDown, "consumer-example-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (o.duration.isZero()) {
                stop.await();
            } else {
                stop.await(o.duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reports.shutdownNow();
            try {
                consumer.close();
            } catch (Exception e) {
                err.println("consumer: closing: " + e.getMessage());
            }
            if (checkpoint != null) {
                checkpoint.flush(); // after the consumer stopped: the position of the last count
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        report.print();
        out.println("consumer stopped");
        return 0;
    }

    private static AutoCloseable start(Options o, Tally tally, FileCheckpoint checkpoint)
            throws Exception {
        if (o.redis != null) {
            RedisStreamsConsumer c =
                    RedisStreamsConsumer.builder(
                                    RedisStreamSource.of(o.redis, o.durable)
                                            .at(o.prefix)
                                            .tickers(o.tickers))
                            .tickListener(tally::onTick)
                            .statusListener(tally::onStatus)
                            .build();
            c.start();
            return c;
        }
        TickmuxConsumer.Builder b =
                TickmuxConsumer.builder(
                                JetStreamSource.of(o.nats, o.durable)
                                        .at(o.stream, o.prefix)
                                        .tickers(o.tickers))
                        .tickListener(tally::onTick)
                        .statusListener(tally::onStatus);
        if (checkpoint != null) {
            b.checkpoint(checkpoint);
        }
        TickmuxConsumer c = b.build();
        c.start();
        return c;
    }

    /** The periodic report. */
    static final class Report {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
        private final Tally tally;
        private final PrintStream out;
        private final int top;
        private long lastEvents = -1;
        private long lastNanos;

        Report(Tally tally, PrintStream out, int top) {
            this.tally = tally;
            this.out = out;
            this.top = top;
        }

        synchronized void print() {
            long now = System.nanoTime();
            long events = tally.events();
            String rate = "";
            if (lastEvents >= 0 && now > lastNanos) {
                rate =
                        String.format(
                                Locale.ROOT,
                                " (%,.0f/s)",
                                (events - lastEvents) * 1e9 / (now - lastNanos));
            }
            lastEvents = events;
            lastNanos = now;
            out.printf(
                    Locale.ROOT,
                    "%s  %,d events%s, %d tickers, %d gaps, %d status events%n",
                    LocalTime.now(ZoneOffset.UTC).withNano(0),
                    events,
                    rate,
                    tally.tickers(),
                    tally.gaps(),
                    tally.statusEvents());
            List<String> busiest = new ArrayList<>();
            for (Map.Entry<String, Long> e : tally.top(top)) {
                busiest.add(String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()));
            }
            if (!busiest.isEmpty()) {
                out.println("  busiest: " + String.join(", ", busiest));
            }
            for (Tally.Gap g : tally.recentGaps()) {
                out.printf(
                        "  gap: %s %s..%s (%s)%n",
                        g.ticker(), TIME.format(g.from()), TIME.format(g.to()), g.cause());
            }
        }
    }

    /** The command line. */
    static final class Options {
        static final String USAGE =
                "usage: consumer [--nats URL | --redis URL] [--stream TICKMUX] [--prefix tickmux]\n"
                        + "                [--durable NAME] [--tickers AAPL,MSFT] [--state FILE]\n"
                        + "                [--every 5s] [--duration 60s] [--top 10]\n"
                        + "  --nats      NATS server (default $TICKMUX_NATS_URL or nats://127.0.0.1:4222)\n"
                        + "  --redis     read the gateway's Redis Streams instead (a consumer group)\n"
                        + "  --stream    JetStream stream (default TICKMUX)\n"
                        + "  --prefix    subject or key prefix (default tickmux)\n"
                        + "  --durable   durable consumer / consumer group name (default tickmux-example)\n"
                        + "  --tickers   only these tickers (default: all)\n"
                        + "  --state     keep counts and position in this file: a restart continues\n"
                        + "              exactly (NATS only)\n"
                        + "  --every     report interval (default 5s)\n"
                        + "  --duration  stop after this long (default: until Ctrl-C)\n"
                        + "  --top       busiest tickers shown (default 10)";

        boolean help;
        String nats;
        String redis;
        String stream = "TICKMUX";
        String prefix = "tickmux";
        String durable = "tickmux-example";
        List<String> tickers = List.of();
        Path state;
        Duration every = Duration.ofSeconds(5);
        Duration duration = Duration.ZERO;
        int top = 10;

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            o.nats = env.getOrDefault("TICKMUX_NATS_URL", "nats://127.0.0.1:4222");
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    problems.add(a + " needs a value");
                    continue;
                }
                String v = args[++i];
                switch (a) {
                    case "--nats" -> o.nats = v;
                    case "--redis" -> o.redis = v;
                    case "--stream" -> o.stream = v;
                    case "--prefix" -> o.prefix = v;
                    case "--durable" -> o.durable = v;
                    case "--tickers" -> o.tickers = List.of(v.split("\\s*,\\s*"));
                    case "--state" -> o.state = Path.of(v);
                    case "--every" -> o.every = duration(a, v, problems, false);
                    case "--duration" -> o.duration = duration(a, v, problems, true);
                    case "--top" -> {
                        try {
                            o.top = Integer.parseInt(v);
                            if (o.top < 0) {
                                problems.add("--top must be 0 or more, was " + v);
                            }
                        } catch (NumberFormatException e) {
                            problems.add("--top takes a number, was '" + v + "'");
                        }
                    }
                    default -> problems.add("unknown option " + a);
                }
            }
            if (o.redis != null && o.state != null) {
                problems.add(
                        "--state works with NATS only (a Redis consumer group keeps its own"
                                + " position): drop --state or read from --nats");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "consumer: " + String.join("; ", problems) + "\n" + USAGE);
            }
            return o;
        }

        private static Duration duration(
                String flag, String v, List<String> problems, boolean zeroOk) {
            try {
                Duration d =
                        com.typesafe.config.ConfigFactory.parseString("d = \"" + v + "\"")
                                .getDuration("d");
                if (d.isNegative() || (!zeroOk && d.isZero())) {
                    problems.add(flag + " must be positive, was " + v);
                    return Duration.ofSeconds(5);
                }
                return d;
            } catch (com.typesafe.config.ConfigException e) {
                problems.add(flag + " takes a duration such as 500ms, 30s or 2m, was '" + v + "'");
                return Duration.ofSeconds(5);
            }
        }
    }
}
