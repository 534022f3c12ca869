package io.tickmux.examples.quickstart;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import io.tickmux.app.TickmuxConfig;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.ControlEndpoint;
import io.tickmux.fake.FakeMarket;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.health.http.HealthServer;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.transport.massive.MassiveTransportFactory;
import io.tickmux.transport.replay.RecorderSettings;
import io.tickmux.transport.replay.RecordingTransportFactory;
import io.tickmux.transport.replay.ReplayReport;
import io.tickmux.transport.replay.ReplaySettings;
import io.tickmux.transport.replay.ReplayTransportFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The quickstart: three connections run as one feed, 300 tickers spread over them, a summary line
 * every few seconds, and (on the embedded fake server) one connection dropped midway to show the
 * manager reconnecting and re-subscribing by itself.
 *
 * <p>With no {@code MASSIVE_API_KEY} it starts the embedded fake Massive server on loopback and
 * connects to it over real WebSockets; with {@code MASSIVE_API_KEY} set it connects to the real
 * feed. {@code MASSIVE_WS_URL} overrides the URL either way.
 *
 * <p>Usage: {@code java -jar tickmux-quickstart.jar [--duration 30s] [--rate 2] [--summary-every
 * 5s] [--record DIR | --replay FILE_OR_DIR [--speed N|max]]}. Stops on Ctrl-C or after the
 * duration; a replay also stops at the end of its recording. The connections, universes (300
 * tickers), router and HTTP port come from {@code application.conf} and the environment.
 */
public final class Quickstart {

    private Quickstart() {}

    /**
     * Runs the quickstart.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // The process environment over a .env file in the working directory (or TICKMUX_ENV_FILE).
        System.exit(run(args, TickmuxConfig.environment(System.getenv()), System.out, System.err));
    }

    /**
     * Runs the quickstart and returns its exit code.
     *
     * @param args command-line arguments
     * @param env environment: {@code MASSIVE_API_KEY}, {@code MASSIVE_WS_URL}
     * @param out where summaries go
     * @param err where usage errors go
     * @return 0 on a clean run, 2 on bad arguments
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("quickstart: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        if (o.help) {
            out.println(Options.USAGE);
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "tickmux-quickstart-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new Demo(o, env, out).run(stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            err.println("quickstart: could not start: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: nothing to remove
            }
        }
        return 0;
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE =
                "usage: quickstart [--duration 30s] [--rate 2] [--summary-every 5s] [--sink nats]"
                        + " [--record DIR | --replay FILE_OR_DIR [--speed N|max]]\n"
                        + "  --duration       stop after this long (e.g. 30s, 2m); default: run until"
                        + " Ctrl-C\n"
                        + "  --rate           trades per second per ticker (default 2)\n"
                        + "  --summary-every  how often to print the summary line (default 5s)\n"
                        + "  --sink           also publish the feed to a sink: nats (JetStream,"
                        + " 127.0.0.1:4222 by default) or redis (Streams, 127.0.0.1:6379);"
                        + " repeatable\n"
                        + "  --record DIR     record what the connections receive to compressed,"
                        + " rotated files in DIR\n"
                        + "  --replay PATH    play a recording (a file, or the DIR --record wrote)"
                        + " instead of connecting; stops at its end\n"
                        + "  --speed N|max    replay speed: 1 = as recorded (default), 10 = ten"
                        + " times faster, max = as fast as possible";

        Duration duration;
        int rate = 2;
        Duration summaryEvery = Duration.ofSeconds(5);
        final List<String> sinks = new ArrayList<>();
        Path record;
        Path replay;
        Double speed;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--duration" -> o.duration = duration(a, v);
                    case "--summary-every" -> o.summaryEvery = duration(a, v);
                    case "--rate" -> o.rate = positive(a, v);
                    case "--sink" -> o.sinks.add(v);
                    case "--record" -> o.record = Path.of(v);
                    case "--replay" -> o.replay = Path.of(v);
                    case "--speed" -> o.speed = speed(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.record != null && o.replay != null) {
                throw new IllegalArgumentException(
                        "--record and --replay exclude each other: record a live run, then replay"
                                + " it in another run");
            }
            if (o.speed != null && o.replay == null) {
                throw new IllegalArgumentException(
                        "--speed applies to a replay: add --replay FILE_OR_DIR, or drop --speed");
            }
            return o;
        }

        private static double speed(String name, String v) {
            try {
                return ReplaySettings.parseSpeed(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " " + e.getMessage());
            }
        }

        private static Duration duration(String name, String v) {
            try {
                return Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        name + " '" + v + "' is not a duration: use e.g. 30s, 2m or 1h");
            }
        }

        private static int positive(String name, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name + " '" + v + "' must be a positive integer");
            }
        }
    }

    /**
     * The quickstart's effective configuration: the environment over its application.conf over
     * every module's reference.conf.
     *
     * @param environment the variables (the original application's .env works as it is)
     * @return the resolved configuration
     */
    static Config config(Map<String, String> environment) {
        return TickmuxConfig.load(ConfigFactory.parseResources("application.conf"), environment);
    }

    /** The running demo. */
    static final class Demo {
        private static final String FAKE_KEY = "quickstart-key";

        private final Options o;
        private final Map<String, String> env;
        private final PrintStream out;
        private final AtomicLong received = new AtomicLong();

        Demo(Options o, Map<String, String> env, PrintStream out) {
            this.o = o;
            this.env = env;
            this.out = out;
        }

        void run(CountDownLatch stop) throws Exception {
            Map<String, String> environment = new HashMap<>(env);
            String key = environment.getOrDefault("MASSIVE_API_KEY", "").trim();
            FakeMassiveServer fake = null;
            if (key.isEmpty() && o.replay == null) {
                fake =
                        FakeMassiveServer.builder()
                                .connectionCap(3)
                                .recordEvents(false)
                                .eventsPerSecond(o.rate)
                                .restApi(true) // what a dropped connection missed, to backfill
                                .market(new FakeMarket(Math.max(1_000, o.rate * 120)))
                                .build()
                                .start();
                environment.put("MASSIVE_API_KEY", FAKE_KEY);
                environment.putIfAbsent("MASSIVE_WS_URL", fake.url());
                environment.putIfAbsent("MASSIVE_REST_URL", fake.rest().url());
            }
            Config root = config(environment);
            if (fake != null) {
                // On the fake server the REST backfill is on: the dropped connection's gaps are
                // filled from its REST API (see docs/operations.md, "Gaps and backfill").
                root =
                        ConfigFactory.parseMap(
                                        Map.of(
                                                "tickmux.app.backfill",
                                                "rest",
                                                // the fake server has no plan limits
                                                "tickmux.backfill.rest.budget.requests-per-minute",
                                                6000),
                                        "quickstart")
                                .withFallback(root);
            }
            if (!o.sinks.isEmpty()) {
                root =
                        ConfigFactory.parseMap(Map.of("tickmux.sinks", o.sinks), "--sink")
                                .withFallback(root);
            }
            // --record wraps the configured transport; --replay replaces it. Both are closed
            // here after the app, so the last file is complete when the quickstart exits.
            RecordingTransportFactory recording = null;
            ReplayTransportFactory replay = null;
            TransportFactory transport = null;
            if (o.record != null) {
                recording =
                        new RecordingTransportFactory(
                                new MassiveTransportFactory(),
                                RecorderSettings.from(
                                                ConfigFactory.parseMap(
                                                                Map.of(
                                                                        RecorderSettings.PATH
                                                                                + ".dir",
                                                                        o.record.toString()),
                                                                "--record")
                                                        .withFallback(root))
                                        .withDir(o.record));
                transport = recording;
            } else if (o.replay != null) {
                ReplaySettings rs =
                        ReplaySettings.from(
                                        ConfigFactory.parseMap(
                                                        Map.of(
                                                                ReplaySettings.PATH + ".path",
                                                                o.replay.toString()),
                                                        "--replay")
                                                .withFallback(root))
                                .with(o.replay, o.speed == null ? 1 : o.speed);
                replay = new ReplayTransportFactory(rs);
                transport = replay;
            }
            ControlEndpoint control = fake == null ? null : new ControlEndpoint(fake, 0);
            ScheduledExecutorService timer =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "tickmux-quickstart-timer");
                                t.setDaemon(true);
                                return t;
                            });
            Tickmux.Builder builder =
                    Tickmux.builder(root).tickListener(this::onTick).statusListener(this::onStatus);
            if (transport != null) {
                builder.transport(transport);
            }
            try (Tickmux app = builder.build()) {
                MultiConnectionManager manager = app.manager();
                int tickers = app.assignment().values().stream().mapToInt(List::size).sum();
                out.printf(
                        "tickmux quickstart: %d tickers over %d connections to %s%s%n",
                        tickers,
                        app.assignment().size(),
                        replay != null
                                ? "the recording " + o.replay
                                : root.getString("tickmux.transport.massive.url"),
                        replay != null
                                ? " (replay at speed "
                                        + (replay.settings().asFastAsPossible()
                                                ? "max"
                                                : String.valueOf(replay.settings().speed()))
                                        + ")"
                                : fake != null
                                        ? " (embedded fake Massive server; set MASSIVE_API_KEY for"
                                                + " the real feed)"
                                        : "");
                if (recording != null) {
                    out.printf(
                            "recording:  %s (compressed files, rotated; replay with --replay %s)%n",
                            o.record, o.record);
                }
                app.start();
                for (AutoCloseable h : app.extensionHandles()) {
                    if (h instanceof HealthServer http) {
                        out.printf(
                                "dashboard:  http://%s:%d/%n",
                                root.getString("tickmux.http.host"), http.port());
                    }
                }
                if (control != null) {
                    out.printf(
                            "fake server control: curl -s http://127.0.0.1:%d/sessions  (POST"
                                    + " /sessions/{id}/abort to kill one)%n",
                            control.port());
                }
                if (!app.awaitSubscribed(Duration.ofSeconds(15))) {
                    out.println(
                            "not every connection subscribed within 15s; continuing (see status lines)");
                }
                long start = System.nanoTime();
                if (fake != null && app.assignment().containsKey("connection_2")) {
                    FakeMassiveServer server = fake;
                    String probe =
                            manager.tickersOf("connection_2").orElse(List.of()).stream()
                                    .findFirst()
                                    .orElse("");
                    Duration dropAt =
                            o.duration == null ? Duration.ofSeconds(10) : o.duration.dividedBy(3);
                    timer.schedule(
                            () -> {
                                out.println(
                                        ">>> the fake server drops connection_2 (abort, no close"
                                                + " frame) to show reconnect and re-subscribe");
                                FakeSession victim = server.sessionHolding(probe);
                                if (victim != null) {
                                    victim.abort();
                                }
                            },
                            dropAt.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                Map<String, long[]> last = new HashMap<>();
                long lastPrint = start;
                long summaryMillis = o.summaryEvery.toMillis();
                long deadline = o.duration == null ? Long.MAX_VALUE : start + o.duration.toNanos();
                if (replay != null) {
                    replay.completion().thenRun(stop::countDown);
                }
                while (true) {
                    long left =
                            Math.min(summaryMillis, (deadline - System.nanoTime()) / 1_000_000L);
                    if (left <= 0 || stop.await(left, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    out.println(summary(manager.healthStatus(), start, last));
                    lastPrint = System.nanoTime();
                }
                if (replay != null
                        && replay.completion().isDone()
                        && !replay.completion().isCompletedExceptionally()) {
                    ReplayReport report = replay.completion().join();
                    out.println("replay: " + report.summary());
                }
                timer.shutdownNow();
                if (System.nanoTime() - lastPrint > 500_000_000L) {
                    out.println(summary(manager.healthStatus(), start, last));
                }
            } finally {
                timer.shutdownNow();
                if (recording != null) {
                    recording.close();
                    out.printf(
                            "recorded:   %d entries in %d file(s) in %s, %d dropped%n",
                            recording.stats().recorded(),
                            recording.stats().filesCompleted(),
                            o.record,
                            recording.stats().dropped());
                }
                if (replay != null) {
                    replay.close();
                }
                if (control != null) {
                    control.close();
                }
                if (fake != null) {
                    fake.close();
                }
            }
            // Counted once the app is closed: every event it delivered, the last ones included.
            out.printf("stopped cleanly: %d events received%n", received.get());
        }

        private void onTick(MarketEvent e) {
            received.incrementAndGet();
        }

        private void onStatus(StatusEvent e) {
            if (e instanceof StatusEvent.ConnectionStateChanged c) {
                out.printf(
                        "  [status] %s: %s -> %s (%s)%n",
                        c.connectionId(),
                        c.from().name().toLowerCase(Locale.ROOT),
                        c.to().name().toLowerCase(Locale.ROOT),
                        c.cause());
            }
        }

        /**
         * One summary line; rates are measured over the time since the previous line.
         *
         * @param h health now
         * @param startNanos when the run started
         * @param last per connection: messages and time at the previous line (updated)
         * @return the line
         */
        static String summary(HealthStatus h, long startNanos, Map<String, long[]> last) {
            long now = System.nanoTime();
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "t=%4ds total=%d events",
                                    (now - startNanos) / 1_000_000_000L,
                                    h.totalTicks()));
            for (ConnectionHealth c : h.connections()) {
                long[] prev = last.getOrDefault(c.id(), new long[] {0, startNanos});
                double seconds = Math.max(1e-3, (now - prev[1]) / 1e9);
                double rate = (c.messages() - prev[0]) / seconds;
                last.put(c.id(), new long[] {c.messages(), now});
                sb.append(
                        String.format(
                                Locale.ROOT,
                                " | %s %s %d tickers %.0f ev/s reconnects=%d",
                                c.name(),
                                c.state().name().toLowerCase(Locale.ROOT),
                                c.tickers(),
                                rate,
                                c.reconnects()));
            }
            if (h.backfill().enabled()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                " | backfill filled=%d partly=%d unfilled=%d events=%d",
                                h.backfill().filled(),
                                h.backfill().partlyFilled(),
                                h.backfill().unfilled(),
                                h.backfill().events()));
            }
            return sb.toString();
        }
    }
}
