package io.tickmux.benchmarks;

import io.tickmux.core.MultiConnectionManager;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.ConnectionStateChanged;
import io.tickmux.spi.event.StatusEvent.Gap;
import io.tickmux.spi.event.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Failover figures on a live feed: 3 Massive connections of 100 tickers each against the fake
 * server (in this JVM, for its fault injection), 100 trades per ticker per second, every setting at
 * its default but the read deadline; one connection is aborted (no close frame) or muted (socket
 * open, nothing sent, no pongs), and the run reports:
 *
 * <ul>
 *   <li><b>detection</b>: fault injected to the connection's {@code reconnecting} state;
 *   <li><b>longest gap</b>: the longest {@link Gap} reported (last event the lost socket delivered
 *       to the ticker's acknowledgement on another connection);
 *   <li><b>covered again</b>: fault injected to the last of the lost socket's tickers being
 *       acknowledged elsewhere;
 *   <li>trades lost outside a reported gap and trades delivered twice, trade by trade against the
 *       server's record of what it sent (both must be 0).
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tickmux.benchmarks.FailoverHarness [runs]</pre>
 */
public final class FailoverHarness {

    static final int TICKERS = 100;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The mute is detected by the read deadline; the harness sets it short, the default is 30 s.
     */
    static final String MUTE_SETTINGS = "ping-interval = 500ms, read-deadline = 1s";

    private FailoverHarness() {}

    /**
     * @param args {@code [runs]} of each fault (default 3)
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        boolean ok = run(runs);
        if (!ok) {
            System.exit(1);
        }
    }

    /**
     * Runs each fault {@code runs} times (after one uncounted warm-up abort) and prints a line per
     * run; false if any trade was lost outside a reported gap or delivered twice.
     */
    static boolean run(int runs) throws Exception {
        boolean ok = true;
        System.out.println(
                "failover, 3 connections x "
                        + TICKERS
                        + " tickers at 100 trades/ticker/s, one connection faulted"
                        + " (mute: "
                        + MUTE_SETTINGS
                        + "):");
        // One uncounted abort first: a cold JVM's first failover is slower (class loading, JIT).
        once("abort");
        for (String fault : List.of("abort", "mute")) {
            for (int i = 0; i < runs; i++) {
                Result r = once(fault);
                System.out.printf(
                        "  %-5s detection %6.1f ms  longest gap %6.1f ms  covered again %6.1f ms"
                                + "  %,7d trades checked, %d lost outside gaps, %d lost inside,"
                                + " %d duplicates%n",
                        fault,
                        r.detectionMs,
                        r.longestGapMs,
                        r.coveredMs,
                        r.checked,
                        r.lostOutside,
                        r.lostInside,
                        r.duplicates);
                ok &= r.lostOutside == 0 && r.duplicates == 0;
            }
        }
        return ok;
    }

    record Result(
            double detectionMs,
            double longestGapMs,
            double coveredMs,
            int checked,
            int lostOutside,
            int lostInside,
            int duplicates) {}

    static Result once(String fault) throws Exception {
        BlockingQueue<StatusEvent> status = new LinkedBlockingQueue<>();
        ConcurrentLinkedQueue<Trade> received = new ConcurrentLinkedQueue<>();
        try (FakeMassiveServer server = FakeMassiveServer.builder().build().start()) {
            MultiConnectionManager.Builder b =
                    MassiveManagers.builder(server.url(), "channels = [T], " + MUTE_SETTINGS)
                            .statusListener(status::add)
                            .tickListener(
                                    e -> {
                                        if (e instanceof Trade t) {
                                            received.add(t);
                                        }
                                    });
            MassiveManagers.connections(b, 3, "k", 1_000);
            Map<String, List<String>> plan = new LinkedHashMap<>();
            for (int c = 1; c <= 3; c++) {
                List<String> tickers = new ArrayList<>();
                for (int i = 0; i < TICKERS; i++) {
                    tickers.add("C" + c + "T" + i);
                }
                plan.put("c" + c, tickers);
            }
            try (MultiConnectionManager manager = b.build()) {
                if (!manager.connectAll(plan, TIMEOUT)) {
                    throw new IllegalStateException("not every ticker was acknowledged");
                }
                server.startGenerator(100);
                TimeUnit.SECONDS.sleep(1);
                status.clear();
                FakeSession victim = server.liveSession("k2");
                Instant injected = Instant.now();
                if (fault.equals("abort")) {
                    victim.abort();
                } else {
                    victim.mute(true);
                }
                Instant detected = null;
                Map<String, Gap> gaps = new HashMap<>();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (detected == null || gaps.size() < TICKERS) {
                    StatusEvent e = status.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (e == null) {
                        throw new IllegalStateException(
                                fault
                                        + ": after "
                                        + TIMEOUT
                                        + ", detected="
                                        + detected
                                        + " and "
                                        + gaps.size()
                                        + " gaps of "
                                        + TICKERS);
                    }
                    if (e instanceof ConnectionStateChanged c
                            && c.connectionId().equals("c2")
                            && c.to() == ConnectionState.RECONNECTING
                            && detected == null) {
                        detected = c.at();
                    } else if (e instanceof Gap g) {
                        gaps.put(g.symbol(), g);
                    }
                }
                // One more second of the feed on the new homes, then quiet.
                TimeUnit.SECONDS.sleep(1);
                server.stopGenerator();
                awaitQuiet(received);
                return account(server, received, gaps, injected, detected);
            }
        }
    }

    private static void awaitQuiet(ConcurrentLinkedQueue<Trade> received)
            throws InterruptedException {
        int last = -1;
        int now = received.size();
        while (now != last) {
            TimeUnit.MILLISECONDS.sleep(200);
            last = now;
            now = received.size();
        }
    }

    /** Every trade the server sent for c2's tickers, against what the listener got. */
    private static Result account(
            FakeMassiveServer server,
            ConcurrentLinkedQueue<Trade> received,
            Map<String, Gap> gaps,
            Instant injected,
            Instant detected) {
        Map<String, Trade> sent = new HashMap<>();
        for (FakeSession s : server.sessions()) {
            for (MarketEvent e : s.sent()) {
                if (e instanceof Trade t && t.symbol().startsWith("C2T")) {
                    sent.put(t.symbol() + "#" + t.tradeId(), t);
                }
            }
        }
        Set<String> got = new HashSet<>();
        int duplicates = 0;
        for (Trade t : received) {
            if (t.symbol().startsWith("C2T") && !got.add(t.symbol() + "#" + t.tradeId())) {
                duplicates++;
            }
        }
        int lostInside = 0;
        int lostOutside = 0;
        for (Map.Entry<String, Trade> e : sent.entrySet()) {
            if (got.contains(e.getKey())) {
                continue;
            }
            Trade t = e.getValue();
            Gap g = gaps.get(t.symbol());
            if (g != null
                    && t.timestamp() >= g.from().toEpochMilli()
                    && t.timestamp() <= g.to().toEpochMilli()) {
                lostInside++;
            } else {
                lostOutside++;
            }
        }
        double longest = 0;
        Instant covered = injected;
        for (Gap g : gaps.values()) {
            longest = Math.max(longest, millis(g.from(), g.to()));
            if (g.to().isAfter(covered)) {
                covered = g.to();
            }
        }
        return new Result(
                millis(injected, detected),
                longest,
                millis(injected, covered),
                sent.size(),
                lostOutside,
                lostInside,
                duplicates);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
