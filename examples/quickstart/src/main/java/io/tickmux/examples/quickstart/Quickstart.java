package io.tickmux.examples.quickstart;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.event.MarketEvent;
import io.tickmux.core.event.StatusEvent;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * every few seconds, and one connection dropped midway to show the manager reconnecting and
 * re-subscribing by itself.
 *
 * <p>Until the Massive transport and its embedded fake server land, the connections run on the
 * in-memory mock transport, whose scripted "server" streams trades for every subscribed ticker.
 *
 * <p>Usage: {@code java -jar tickmux-quickstart.jar [--duration 30s] [--tickers 300] [--rate 2]
 * [--summary-every 5s]}. Stops on Ctrl-C or after the duration.
 */
public final class Quickstart {

    private Quickstart() {}

    /**
     * Runs the quickstart.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the quickstart and returns its exit code.
     *
     * @param args command-line arguments
     * @param out where summaries go
     * @param err where usage errors go
     * @return 0 on a clean run, 2 on bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
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
            new Demo(o, out).run(stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                "usage: quickstart [--duration 30s] [--tickers 300] [--rate 2] [--summary-every 5s]\n"
                        + "  --duration       stop after this long (e.g. 30s, 2m); default: run until"
                        + " Ctrl-C\n"
                        + "  --tickers        tickers spread over the 3 connections (default 300)\n"
                        + "  --rate           trades per second per ticker (default 2)\n"
                        + "  --summary-every  how often to print the summary line (default 5s)";

        Duration duration;
        int tickers = 300;
        int rate = 2;
        Duration summaryEvery = Duration.ofSeconds(5);
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
                    case "--tickers" -> o.tickers = positive(a, v);
                    case "--rate" -> o.rate = positive(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return o;
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

    /** The running demo. */
    static final class Demo {
        private static final List<String> IDS =
                List.of("connection_1", "connection_2", "connection_3");
        private static final List<String> NAMES = List.of("primary", "secondary", "tertiary");

        private final Options o;
        private final PrintStream out;
        private final AtomicLong received = new AtomicLong();

        Demo(Options o, PrintStream out) {
            this.o = o;
            this.out = out;
        }

        void run(CountDownLatch stop) throws InterruptedException {
            MockTransport mock = new MockTransport();
            ScheduledExecutorService feed =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "tickmux-quickstart-feed");
                                t.setDaemon(true);
                                return t;
                            });
            MultiConnectionManager.Builder b =
                    MultiConnectionManager.builder()
                            .transport(mock)
                            .tickListener(this::onTick)
                            .statusListener(this::onStatus);
            for (int i = 0; i < IDS.size(); i++) {
                b.connection(ConnectionDefinition.of(IDS.get(i)).withName(NAMES.get(i)));
            }
            try (MultiConnectionManager manager = b.build()) {
                Map<String, List<String>> assignment = assignment(o.tickers);
                out.printf(
                        "tickmux quickstart: %d tickers over %d connections on the mock"
                                + " transport%n",
                        o.tickers, IDS.size());
                if (!manager.connectAll(assignment, Duration.ofSeconds(10))) {
                    out.println("not every connection subscribed within 10s; continuing");
                }
                long start = System.nanoTime();
                AtomicLong seq = new AtomicLong();
                long periodMicros = 1_000_000L / o.rate;
                feed.scheduleAtFixedRate(
                        () -> emitRound(mock, assignment, seq.incrementAndGet()),
                        0,
                        periodMicros,
                        TimeUnit.MICROSECONDS);
                Duration dropAt =
                        o.duration == null ? Duration.ofSeconds(10) : o.duration.dividedBy(3);
                feed.schedule(
                        () -> {
                            out.println(
                                    ">>> dropping connection_2 (abort, no close frame) to show"
                                            + " reconnect and re-subscribe");
                            mock.connection("connection_2").drop();
                        },
                        dropAt.toMillis(),
                        TimeUnit.MILLISECONDS);
                long summaryMillis = o.summaryEvery.toMillis();
                long deadline = o.duration == null ? Long.MAX_VALUE : start + o.duration.toNanos();
                while (true) {
                    long left =
                            Math.min(summaryMillis, (deadline - System.nanoTime()) / 1_000_000L);
                    if (left <= 0 || stop.await(left, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    out.println(summary(manager.healthStatus(), start));
                }
                feed.shutdownNow();
                out.println(summary(manager.healthStatus(), start));
                out.printf("stopped cleanly: %d events received%n", received.get());
            } finally {
                feed.shutdownNow();
            }
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

        private static void emitRound(
                MockTransport mock, Map<String, List<String>> assignment, long seq) {
            long now = System.currentTimeMillis();
            for (Map.Entry<String, List<String>> a : assignment.entrySet()) {
                MockConnection c = mock.connection(a.getKey());
                if (!c.isOpen()) {
                    continue; // the server has nobody to send to while the socket is down
                }
                List<MarketEvent> frame = new ArrayList<>(a.getValue().size());
                for (String s : a.getValue()) {
                    frame.add(MockEvents.trade(s, seq, now));
                }
                try {
                    c.emit(frame);
                } catch (IllegalStateException closedMeanwhile) {
                    // dropped between the check and the send: that frame is lost, as on a socket
                }
            }
        }

        static Map<String, List<String>> assignment(int tickers) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            for (String id : IDS) {
                m.put(id, new ArrayList<>());
            }
            List<String> universe = Universe.symbols(tickers);
            for (int i = 0; i < universe.size(); i++) {
                m.get(IDS.get(i % IDS.size())).add(universe.get(i));
            }
            return m;
        }

        static String summary(HealthStatus h, long startNanos) {
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "t=%4ds total=%d events",
                                    (System.nanoTime() - startNanos) / 1_000_000_000L,
                                    h.totalTicks()));
            for (ConnectionHealth c : h.connections()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                " | %s %s %d tickers %.0f ev/s reconnects=%d",
                                c.name(),
                                c.state().name().toLowerCase(Locale.ROOT),
                                c.tickers(),
                                c.messageRate(),
                                c.reconnects()));
            }
            return sb.toString();
        }
    }
}
