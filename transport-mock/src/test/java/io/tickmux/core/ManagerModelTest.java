package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.core.internal.Invariants;
import io.tickmux.core.internal.ManagerCore;
import io.tickmux.core.internal.ManagerSnapshot;
import io.tickmux.core.routing.ManualRoutingStrategy;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model-based test of the manager's control state (issue 15): seeded random sequences of public
 * operations (subscribe, routed or onto a named connection, which moves a ticker; unsubscribe;
 * setCritical; rebalance; add and remove connections) and transport faults (drop, clean and policy
 * closes, eviction, mute, refused subscriptions, held, reordered, partly released and timed-out
 * acks, dropped unsubscribe acks, refused connects, failed authentication) against the mock
 * transport, on 3 or 4 connections with small capacities now and then and one of three routers.
 *
 * <p>After every step: {@link Invariants#check}; the manager's tickers equal what the test
 * subscribed (its own record of calls and answers, not the snapshot's); no transport callback
 * threw; a ticker once covered stays covered or has its gap open; a new routed ticker does not land
 * silently on a connection that was down at the routing decision while another connected one had
 * room (as the router was shown them). Every 50 to 100 steps, a quiet phase: every fault healed
 * (except two symbols every server refuses), then, once {@link Invariants#checkQuiet} holds and
 * every connection that is not terminal is connected: each open server holds its connection's
 * desired set less what it refused; refusals are ones a server made; setCritical's answers are
 * remembered; no ticker waits on a terminal connection while a connected one has room; {@code
 * awaitSubscribed} answers true; and one new trade per symbol ever used, sent by every open server,
 * reaches the listener exactly once for each covered ticker and never for the others, nor did any
 * trade sent after its ticker's unsubscribe returned.
 *
 * <p>By default it runs a fixed list of seeds (10,500 steps in all). Replay one seed with {@code
 * -Dtickmux.model.seed=N -Dtickmux.model.steps=M} (or explore others: {@code 1..50} or {@code
 * 3,7,9}); a failure prints the seed, the step, that command line, the last operations, the model
 * and the manager's state. The run is concurrent (mock wire threads, the manager's scheduler): a
 * replay repeats the same operations with the same arguments, but their interleaving with those
 * threads may differ.
 *
 * <p>Triage switches, to get past a known defect and look for the next: {@code
 * -Dtickmux.model.disable=A,B,...} takes out operations (names of {@link Op}), the two permanently
 * refused symbols ({@code PERMANENT_REFUSALS}), checks ({@code GAP_CHECKS}, {@code ROUTE_CHECKS},
 * {@code REHOME_CHECKS}, {@code CRITICAL_CHECKS}), break-before-make configurations ({@code
 * MBB_OFF}), or avoids situations ({@code AVOID_UNSUB_DURING_MOVE}, {@code AVOID_MOVE_DURING_MOVE},
 * {@code AVOID_MOVE_ONTO_SECONDARY}, {@code AVOID_MOVE_ONTO_DOWN}, {@code
 * AVOID_CRITICAL_DURING_MOVE}, {@code AVOID_REMOVE_DURING_MOVE}, {@code AVOID_RESUBSCRIBE_PENDING};
 * best effort, as moves also start on their own); {@code -Dtickmux.model.ignore=REGEX} ignores
 * broken rules whose line matches; {@code -Dtickmux.model.quiet-timeout=5} waits 5 s instead of 30
 * for a quiet phase; {@code -Dtickmux.model.log-lines=200} prints more of the operation log; {@code
 * -Dtickmux.model.settings=HOCON} adds manager settings.
 */
class ManagerModelTest {

    /**
     * The seeds of the normal build, {@link #STEPS} steps each, chosen so that together they cover
     * every router (manual 1, 6, 14; shuffle 10, 16, 19; fewest 13, 25, 26, 56), auto-rebalance
     * (25, 26, 56), break-before-make moves (6, 56), fail-back at rebalance (1, 10, 13, 25, 56),
     * parking after evictions (10, 14, 19, 26, 56) and failover off (13, 16).
     */
    private static final long[] SEEDS = {1, 6, 14, 10, 16, 19, 13, 25, 26, 56};

    private static final int STEPS = 1_050;

    private static final String SEED_PROPERTY = "tickmux.model.seed";
    private static final String STEPS_PROPERTY = "tickmux.model.steps";
    private static final String DISABLE_PROPERTY = "tickmux.model.disable";
    private static final String SETTINGS_PROPERTY = "tickmux.model.settings";
    private static final String QUIET_TIMEOUT_PROPERTY = "tickmux.model.quiet-timeout";
    private static final String IGNORE_PROPERTY = "tickmux.model.ignore";

    /**
     * Manager settings the run needs short, so that a quiet phase settles in milliseconds: ack
     * timeouts retried after 5, 10, 20 ms; unacknowledged unsubscribes given up after 30 ms.
     */
    private static final String EXTRA_SETTINGS =
            "tickmux.core.subscriptions { retry-delay = 5ms, unsubscribe-ack-timeout = 30ms }\n";

    private static final Duration FLUSH = Duration.ofSeconds(10);

    /** With auto-rebalance on (every 25ms), how long the state must hold to count as quiet. */
    private static final Duration STABLE = Duration.ofMillis(120);

    private static final int LOG_LINES = Integer.getInteger("tickmux.model.log-lines", 30);
    private static final String REFUSAL = "not authorized (model)";
    private static final List<String> PERMANENTLY_REFUSED = List.of("P0", "P1");

    static Stream<Arguments> seeds() {
        String seed = System.getProperty(SEED_PROPERTY);
        int steps = Integer.getInteger(STEPS_PROPERTY, STEPS);
        if (seed != null && !seed.isBlank()) {
            // N, a list N,M,..., or a range N..M (to explore beyond the fixed list)
            List<Long> chosen = new ArrayList<>();
            for (String part : seed.split(",")) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots < 0) {
                    chosen.add(Long.parseLong(p));
                } else {
                    long to = Long.parseLong(p.substring(dots + 2).trim());
                    for (long x = Long.parseLong(p.substring(0, dots).trim()); x <= to; x++) {
                        chosen.add(x);
                    }
                }
            }
            return chosen.stream().map(x -> Arguments.of(x, steps));
        }
        return Arrays.stream(SEEDS).mapToObj(s -> Arguments.of(s, steps));
    }

    @ParameterizedTest(name = "seed {0}, {1} steps")
    @MethodSource("seeds")
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a measure
    void randomInterleavingsKeepTheInvariantsAndConverge(long seed, int steps) {
        try (Run run = new Run(seed, steps)) {
            run.execute();
        }
    }

    /** The operations and faults the generator draws from, with their weights. */
    enum Op {
        SUBSCRIBE(140),
        SUBSCRIBE_ON(80),
        UNSUBSCRIBE(100),
        CRITICAL_ON(40),
        CRITICAL_OFF(30),
        REBALANCE(30),
        ADD_CONNECTION(20),
        REMOVE_CONNECTION(20),
        DROP(30),
        CLOSE_CLEAN(10),
        CLOSE_POLICY(10),
        EVICT(10),
        MUTE(15),
        UNMUTE(10),
        REJECT(20),
        UNREJECT(10),
        HOLD_ACKS(30),
        RELEASE_ACKS(20),
        RELEASE_SOME_ACKS(20),
        AUTO_ACK(10),
        TIME_OUT_ACKS(10),
        DROP_UNSUB_ACKS(10),
        KEEP_UNSUB_ACKS(10),
        REFUSE_CONNECTS(10),
        REJECT_AUTH(2),
        NOISE(60),
        FLUSH(20),
        SETTLE(10),
        INVALID_SYMBOL(3);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    /** A trade the test sent, to be found (or not) at the tick listener. */
    private record Sent(String symbol, int step, String connection, boolean wanted) {}

    /** One seeded run: a manager, its mock transport, the model, and the checks. */
    private static final class Run implements AutoCloseable {

        private final long seed;
        private final int steps;
        private final Random master;
        private final Set<String> disabled;
        private final java.util.regex.Pattern ignore;
        private final Duration quietTimeout;
        private final Op[] ops;
        private final int[] cumulative;

        // configuration drawn from the seed
        private final int maxConnections;
        private final String routerName;
        private final boolean failover;
        private final boolean autoRebalance;
        private final List<String> universe = new ArrayList<>();
        private final List<String> permanent;
        private final String settings;
        private final String config;

        private final MockTransport mock = new MockTransport();
        private final RecordingRouter router;
        private final MultiConnectionManager manager;
        private final ManagerCore core;

        // the model: what the test asked for and what the manager answered
        private final TreeSet<String> wanted = new TreeSet<>();
        private final Map<String, Boolean> critical = new TreeMap<>(); // absent: not known
        private final TreeSet<String> everUsed = new TreeSet<>();
        private final Set<String> everCovered = new HashSet<>();
        private final Set<String> everConnected = new HashSet<>();
        private final List<String> current = new ArrayList<>(); // connections, in order
        private final List<String> removed = new ArrayList<>();
        private final Map<String, Integer> capacity = new LinkedHashMap<>();
        private final Map<String, Set<String>> rejectedEver = new HashMap<>();
        private final Set<String> timedOut = new HashSet<>();
        private int nextConnection;

        // what the tick listener got: trade sequence -> copies
        private final Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        private final Map<Long, Sent> noise = new HashMap<>();
        private long nextSequence = 1;

        private final Deque<String> log = new ArrayDeque<>();
        private final Deque<String> statusLog = new ConcurrentLinkedDeque<>();
        private int step;
        private int quietPhases;

        Run(long seed, int steps) {
            this.seed = seed;
            this.steps = steps;
            this.master = new Random(seed);
            this.disabled =
                    Arrays.stream(System.getProperty(DISABLE_PROPERTY, "").split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .map(s -> s.toUpperCase(Locale.ROOT))
                            .collect(Collectors.toCollection(TreeSet::new));
            String ignored = System.getProperty(IGNORE_PROPERTY, "");
            this.ignore = ignored.isBlank() ? null : java.util.regex.Pattern.compile(ignored);
            this.quietTimeout =
                    Duration.ofSeconds(Long.getLong(QUIET_TIMEOUT_PROPERTY, 30L).longValue());
            List<Op> enabled = new ArrayList<>();
            for (Op op : Op.values()) {
                if (!disabled.contains(op.name())) {
                    enabled.add(op);
                }
            }
            this.ops = enabled.toArray(new Op[0]);
            this.cumulative = new int[ops.length];
            int sum = 0;
            for (int i = 0; i < ops.length; i++) {
                sum += ops[i].weight;
                cumulative[i] = sum;
            }

            Random c = new Random(master.nextLong());
            int initial = 3 + c.nextInt(2); // 3..4
            this.maxConnections = initial + c.nextInt(2); // room for one more, or none
            int symbols = 12 + c.nextInt(13);
            for (int i = 0; i < symbols; i++) {
                universe.add(String.format(Locale.ROOT, "S%02d", i));
            }
            this.permanent =
                    disabled.contains("PERMANENT_REFUSALS") ? List.of() : PERMANENTLY_REFUSED;
            permanent.forEach(p -> mock.rejectSubscription(p, REFUSAL));
            String[] routers = {"manual", "fewest", "shuffle"};
            this.routerName = routers[c.nextInt(routers.length)];
            boolean makeBeforeBreak = c.nextDouble() < 0.85 || disabled.contains("MBB_OFF");
            String failBack = c.nextDouble() < 0.7 ? "immediate" : "rebalance";
            int shrink = c.nextDouble() < 0.6 ? 0 : 2 + c.nextInt(2);
            this.failover = c.nextDouble() < 0.9;
            this.autoRebalance = routerName.equals("fewest") && c.nextDouble() < 0.3;
            this.settings =
                    "tickmux.core {\n"
                            + "  max-connections = "
                            + maxConnections
                            + "\n"
                            + "  reconnect { initial-delay = 1ms, max-delay = 20ms,"
                            + " eviction-cooldown = 20ms, socket-wait = 5ms, stable-after = 1h,"
                            + " jitter = 0.5 }\n"
                            + "  moves { make-before-break = "
                            + makeBeforeBreak
                            + ", dedup-window = 10ms }\n"
                            + "  account-limit { evictions-to-shrink = "
                            + shrink
                            + ", window = 30m }\n"
                            + "  failover { enabled = "
                            + failover
                            + ", fail-back = "
                            + failBack
                            + " }\n"
                            + "  auto-rebalance = "
                            + autoRebalance
                            + "\n"
                            + "  health-check-interval = "
                            + (autoRebalance ? "25ms" : "1h")
                            + "\n"
                            + "  staleness.enabled = false\n"
                            + "}\n"
                            + EXTRA_SETTINGS
                            + "\n"
                            + System.getProperty(SETTINGS_PROPERTY, "");
            this.router =
                    new RecordingRouter(
                            switch (routerName) {
                                case "fewest" -> new FewestRouter();
                                case "shuffle" -> new ShuffleRouter(new Random(c.nextLong()));
                                default -> new ManualRoutingStrategy(Map.of());
                            });
            Random jitter = new Random(c.nextLong());
            MultiConnectionManager.Builder b =
                    MultiConnectionManager.builder()
                            .settings(CoreSettings.parse(settings))
                            .transport(mock)
                            .routing(router)
                            .random(
                                    () -> {
                                        synchronized (jitter) {
                                            return jitter.nextDouble();
                                        }
                                    })
                            .statusListener(this::onStatus)
                            .tickListener(this::onEvent);
            for (int i = 0; i < initial; i++) {
                String id = "c" + (++nextConnection);
                int cap = capacityFor(c);
                b.connection(ConnectionDefinition.of(id).withCapacity(cap));
                current.add(id);
                capacity.put(id, cap);
            }
            this.config =
                    "connections="
                            + capacity
                            + " max-connections="
                            + maxConnections
                            + " router="
                            + routerName
                            + " symbols="
                            + symbols
                            + " make-before-break="
                            + makeBeforeBreak
                            + " fail-back="
                            + failBack
                            + " evictions-to-shrink="
                            + shrink
                            + " failover="
                            + failover
                            + " auto-rebalance="
                            + autoRebalance
                            + (disabled.isEmpty() ? "" : " disabled=" + disabled);
            this.manager = b.build();
            this.core = manager.core();
            manager.start();
        }

        private static int capacityFor(Random r) {
            return r.nextDouble() < 0.5 ? 1000 : 3 + r.nextInt(6);
        }

        // ------------------------------------------------------------ the run

        void execute() {
            int nextQuiet = 50 + master.nextInt(51);
            for (step = 1; step <= steps; step++) {
                Op op = pick(master.nextInt(cumulative[cumulative.length - 1]));
                Random r = new Random(master.nextLong());
                String done = perform(op, r);
                record(done);
                checkAlways(core.snapshot());
                if (step == nextQuiet || step == steps) {
                    quietPhase();
                    nextQuiet = step + 50 + master.nextInt(51);
                }
            }
        }

        private Op pick(int x) {
            for (int i = 0; i < cumulative.length; i++) {
                if (x < cumulative[i]) {
                    return ops[i];
                }
            }
            throw new IllegalStateException();
        }

        private void record(String line) {
            log.addLast("#" + step + " " + line);
            while (log.size() > LOG_LINES) {
                log.removeFirst();
            }
        }

        private String perform(Op op, Random r) {
            return switch (op) {
                case SUBSCRIBE -> subscribe(r);
                case SUBSCRIBE_ON -> subscribeOn(r);
                case UNSUBSCRIBE -> unsubscribe(r);
                case CRITICAL_ON -> setCritical(r, true);
                case CRITICAL_OFF -> setCritical(r, false);
                case REBALANCE -> rebalance();
                case ADD_CONNECTION -> addConnection(r);
                case REMOVE_CONNECTION -> removeConnection(r);
                case NOISE -> noise(r);
                case FLUSH -> flush(r);
                case SETTLE -> settle();
                case INVALID_SYMBOL -> invalidSymbol();
                default -> fault(op, r);
            };
        }

        // ------------------------------------------------------------ public operations

        private String subscribe(Random r) {
            String sym = symbol(r, 0.6);
            boolean before = wanted.contains(sym);
            ManagerSnapshot was = core.snapshot();
            if (avoidResubscribe(was, sym)) {
                return "subscribe " + sym + " while its unsubscribe is unacknowledged: avoided";
            }
            was.connections()
                    .forEach(
                            (id, c) -> {
                                if (c.state() == ConnectionState.CONNECTED) {
                                    everConnected.add(id);
                                }
                            });
            router.watch(sym);
            boolean ok = call("subscribeTicker(" + sym + ")", () -> manager.subscribeTicker(sym));
            List<ConnectionView> atDecision = router.seen();
            if (ok) {
                want(sym);
            } else if (before) {
                fail("subscribeTicker(" + sym + ") answered false for a ticker already subscribed");
            }
            if (ok && !before && failover && !disabled.contains("ROUTE_CHECKS")) {
                checkRouted(sym, atDecision, core.snapshot());
            }
            return "subscribe " + sym + " -> " + ok;
        }

        private String subscribeOn(Random r) {
            String sym = symbol(r, 0.4);
            double x = r.nextDouble();
            String id;
            if (x < 0.88 && !current.isEmpty()) {
                id = current.get(r.nextInt(current.size()));
            } else if (x < 0.96 && !removed.isEmpty()) {
                id = removed.get(r.nextInt(removed.size()));
            } else {
                id = "nowhere";
            }
            boolean before = wanted.contains(sym);
            ManagerSnapshot was = core.snapshot();
            if (avoidResubscribe(was, sym)) {
                return "subscribe " + sym + " while its unsubscribe is unacknowledged: avoided";
            }
            ManagerSnapshot.Ticker t = was.tickers().get(sym);
            if (t != null && !id.equals(t.owner())) {
                if (disabled.contains("AVOID_MOVE_ONTO_SECONDARY") && id.equals(t.secondary())) {
                    return "move " + sym + " onto its secondary " + id + ": avoided";
                }
                if (disabled.contains("AVOID_MOVE_DURING_MOVE") && t.moveFrom() != null) {
                    return "move " + sym + " during its move: avoided";
                }
                ManagerSnapshot.Connection target = was.connections().get(id);
                if (disabled.contains("AVOID_MOVE_ONTO_DOWN")
                        && target != null
                        && target.state() != ConnectionState.CONNECTED) {
                    return "move " + sym + " onto " + id + " (" + target.state() + "): avoided";
                }
            }
            boolean ok =
                    call(
                            "subscribeTicker(" + sym + ", " + id + ")",
                            () -> manager.subscribeTicker(sym, id));
            if (ok && !current.contains(id)) {
                fail(
                        "subscribeTicker("
                                + sym
                                + ", "
                                + id
                                + ") answered true for a connection that does not exist");
            }
            if (ok) {
                want(sym);
            }
            return (before ? "move " : "subscribe ") + sym + " onto " + id + " -> " + ok;
        }

        /**
         * A new ticker routed onto a connection that was down at the routing decision, while
         * another was connected with room, is uncovered for no reason: it must at least have its
         * gap open (issue 15, defect 4).
         *
         * <p>Judged on the connections as the router saw them at the decision, under the manager's
         * lock, not on the snapshots before and after the call: those cannot tell a wrong choice
         * from a legal interleaving. A fault queued on a wire before the call can take the chosen
         * connection down just after the decision, and the failover that follows may find no room
         * that a snapshot taken later shows (seed 19, step 103, under load: c4 was connected when
         * S15 was routed onto it, the 1008 close of step 87 still queued on its wire; failover then
         * moved S03 and S09 onto c2, which filled it, and left S15 to wait for c4's reconnect; a
         * fail-back of P0 freed a place on c2 before the snapshot after the call).
         *
         * <p>An owner that is down now and was down at the decision is the connection chosen then.
         * Every later move (failover, fail-back, stranded tickers, rebalance) goes onto a connected
         * connection, so a move onto it after the decision would need it connected and then lost
         * again within the call; no fault can do that: each is queued on the wire in an earlier
         * step, ahead of the reconnect's connect, and ends nothing when its turn comes first.
         */
        private void checkRouted(String sym, List<ConnectionView> atDecision, ManagerSnapshot now) {
            ManagerSnapshot.Ticker t = now.tickers().get(sym);
            if (t == null || t.gapOpen()) {
                return;
            }
            if (atDecision == null) {
                fail("new ticker " + sym + " was placed without asking the router", now);
            }
            if (now.connections().get(t.owner()).state() == ConnectionState.CONNECTED) {
                return;
            }
            ConnectionView owner =
                    atDecision.stream()
                            .filter(c -> c.id().equals(t.owner()))
                            .findFirst()
                            .orElse(null);
            if (owner == null) {
                return;
            }
            // Down: between reconnect attempts, cooling down, or in a reconnect attempt (seen
            // connected before the call); the first connect of a new connection is not "down".
            boolean down =
                    switch (owner.state()) {
                        case RECONNECTING, COOLDOWN, FAILED, CLOSED -> true;
                        case CONNECTING -> everConnected.contains(t.owner());
                        case NEW, CONNECTED -> false;
                    };
            if (!down) {
                return;
            }
            for (ConnectionView room : atDecision) {
                if (!room.id().equals(t.owner())
                        && room.state() == ConnectionState.CONNECTED
                        && room.canAccept()) {
                    fail(
                            "new ticker "
                                    + sym
                                    + " was routed onto "
                                    + t.owner()
                                    + " ("
                                    + owner.state()
                                    + " at the decision, "
                                    + now.connections().get(t.owner()).state()
                                    + " now), uncovered and without a gap, although "
                                    + room.id()
                                    + " was connected and had room ("
                                    + room.tickerCount()
                                    + " of "
                                    + room.capacity()
                                    + ")",
                            now);
                }
            }
        }

        private boolean avoidResubscribe(ManagerSnapshot s, String sym) {
            return disabled.contains("AVOID_RESUBSCRIBE_PENDING")
                    && s.connections().values().stream()
                            .anyMatch(c -> c.pendingUnsub().contains(sym));
        }

        private void want(String sym) {
            if (wanted.add(sym)) {
                critical.put(sym, false);
            }
            everUsed.add(sym);
        }

        private String unsubscribe(Random r) {
            String sym = r.nextDouble() < 0.85 && !wanted.isEmpty() ? any(r, wanted) : symbol(r, 0);
            boolean before = wanted.contains(sym);
            if (disabled.contains("AVOID_UNSUB_DURING_MOVE")) {
                ManagerSnapshot.Ticker t = core.snapshot().tickers().get(sym);
                if (t != null && t.moveFrom() != null) {
                    return "unsubscribe " + sym + " during its move: avoided";
                }
            }
            boolean ok =
                    call("unsubscribeTicker(" + sym + ")", () -> manager.unsubscribeTicker(sym));
            if (ok != before) {
                fail(
                        "unsubscribeTicker("
                                + sym
                                + ") answered "
                                + ok
                                + " but the ticker was "
                                + (before ? "" : "not ")
                                + "subscribed");
            }
            if (ok) {
                wanted.remove(sym);
                critical.remove(sym);
            }
            everUsed.add(sym);
            return "unsubscribe " + sym + " -> " + ok;
        }

        private String setCritical(Random r, boolean on) {
            String sym = r.nextDouble() < 0.9 && !wanted.isEmpty() ? any(r, wanted) : symbol(r, 0);
            boolean before = wanted.contains(sym);
            if (on && disabled.contains("AVOID_CRITICAL_DURING_MOVE")) {
                ManagerSnapshot.Ticker t = core.snapshot().tickers().get(sym);
                if (t != null && t.moveFrom() != null) {
                    return "setCritical " + sym + " during its move: avoided";
                }
            }
            boolean ok =
                    call(
                            "setCritical(" + sym + ", " + on + ")",
                            () -> manager.setCritical(sym, on));
            if (!before && ok) {
                fail(
                        "setCritical("
                                + sym
                                + ", "
                                + on
                                + ") answered true for a ticker not subscribed");
            }
            if (before && !on && !ok) {
                fail("setCritical(" + sym + ", false) answered false for a subscribed ticker");
            }
            if (before) {
                if (ok) {
                    critical.put(sym, on);
                } else {
                    critical.remove(sym); // no second connection: whether it stays flagged is open
                }
            }
            return "setCritical " + sym + " " + on + " -> " + ok;
        }

        private String rebalance() {
            if (disabled.contains("AVOID_MOVE_DURING_MOVE")
                    && core.snapshot().tickers().values().stream()
                            .anyMatch(t -> t.moveFrom() != null)) {
                return "rebalance during a move: avoided";
            }
            RebalanceResult res = call("rebalanceConnections()", manager::rebalanceConnections);
            for (Move m : res.moves()) {
                if (!wanted.contains(m.symbol())) {
                    fail("rebalance moved " + m + ", a ticker not subscribed");
                }
            }
            return "rebalance -> " + res.moves().size() + " moved " + res.moves();
        }

        private String addConnection(Random r) {
            boolean duplicate = r.nextDouble() < 0.1 && !current.isEmpty();
            String id =
                    duplicate ? current.get(r.nextInt(current.size())) : "c" + (++nextConnection);
            int cap = capacityFor(r);
            boolean expected = !duplicate && current.size() < maxConnections;
            boolean ok =
                    call(
                            "addConnection(" + id + ")",
                            () ->
                                    manager.addConnection(
                                            ConnectionDefinition.of(id).withCapacity(cap)));
            if (ok != expected) {
                fail(
                        "addConnection("
                                + id
                                + ") answered "
                                + ok
                                + " with "
                                + current.size()
                                + " connections of "
                                + maxConnections
                                + (duplicate ? ", a duplicate id" : ""));
            }
            if (ok) {
                current.add(id);
                capacity.put(id, cap);
            }
            return "addConnection " + id + " capacity " + cap + " -> " + ok;
        }

        private String removeConnection(Random r) {
            if (current.isEmpty() || (current.size() == 1 && r.nextDouble() < 0.8)) {
                return "removeConnection skipped";
            }
            String id;
            double x = r.nextDouble();
            ManagerSnapshot before = core.snapshot();
            List<String> terminal =
                    current.stream()
                            .filter(
                                    c ->
                                            before.connections().containsKey(c)
                                                    && before.connections()
                                                            .get(c)
                                                            .state()
                                                            .isTerminal())
                            .toList();
            if (x < 0.08) {
                id = removed.isEmpty() ? "nowhere" : removed.get(r.nextInt(removed.size()));
            } else if (x < 0.5 && !terminal.isEmpty()) {
                id = terminal.get(r.nextInt(terminal.size()));
            } else {
                id = current.get(r.nextInt(current.size()));
            }
            if (disabled.contains("AVOID_REMOVE_DURING_MOVE")
                    && before.tickers().values().stream()
                            .anyMatch(
                                    t ->
                                            t.moveFrom() != null
                                                    && (id.equals(t.moveFrom())
                                                            || id.equals(t.owner())))) {
                return "removeConnection " + id + " during a move: avoided";
            }
            boolean ok = call("removeConnection(" + id + ")", () -> manager.removeConnection(id));
            ManagerSnapshot after = core.snapshot();
            if (ok != current.contains(id)) {
                fail("removeConnection(" + id + ") answered " + ok);
            }
            Set<String> dropped = new TreeSet<>();
            if (ok) {
                current.remove(id);
                removed.add(id);
                for (String sym : wanted) {
                    if (!after.tickers().containsKey(sym)) {
                        dropped.add(sym);
                        ManagerSnapshot.Ticker t = before.tickers().get(sym);
                        if (!mayHaveOwned(id, t, before, after)) {
                            fail(
                                    "removeConnection("
                                            + id
                                            + ") dropped "
                                            + sym
                                            + ", which it did not own: "
                                            + t);
                        }
                    }
                }
                wanted.removeAll(dropped);
                dropped.forEach(critical::remove);
            }
            return "removeConnection "
                    + id
                    + " -> "
                    + ok
                    + (dropped.isEmpty() ? "" : ", dropped " + dropped);
        }

        /**
         * Whether a ticker the removal dropped may have been owned by the removed connection when
         * it was removed. The snapshot before the call can be stale: a fail-back onto it (its
         * home), a failover from an owner that went down, or an automatic rebalance may have moved
         * the ticker there meanwhile.
         */
        private boolean mayHaveOwned(
                String id,
                ManagerSnapshot.Ticker t,
                ManagerSnapshot before,
                ManagerSnapshot after) {
            if (t == null || id.equals(t.owner()) || id.equals(t.home()) || autoRebalance) {
                return true;
            }
            ManagerSnapshot.Connection was = before.connections().get(t.owner());
            ManagerSnapshot.Connection now = after.connections().get(t.owner());
            return was == null
                    || now == null
                    || was.state() != ConnectionState.CONNECTED
                    || now.state() != ConnectionState.CONNECTED;
        }

        private String invalidSymbol() {
            try {
                manager.subscribeTicker("BAD SYM");
            } catch (IllegalArgumentException expected) {
                return "subscribe 'BAD SYM' -> IllegalArgumentException";
            } catch (RuntimeException e) {
                fail("subscribeTicker('BAD SYM') threw " + e, e);
            }
            fail("subscribeTicker('BAD SYM') accepted a malformed symbol");
            return "";
        }

        // ------------------------------------------------------------ faults

        private String fault(Op op, Random r) {
            if (current.isEmpty()) {
                return op + " skipped: no connection";
            }
            String id = current.get(r.nextInt(current.size()));
            MockConnection c = mock.connection(id);
            String what =
                    switch (op) {
                        case DROP -> {
                            c.drop();
                            yield "drop";
                        }
                        case CLOSE_CLEAN -> {
                            c.closeFromServer(1000, "bye");
                            yield "close 1000";
                        }
                        case CLOSE_POLICY -> {
                            c.closeFromServer(1008, "policy violation");
                            yield "close 1008";
                        }
                        case EVICT -> {
                            c.evict();
                            yield "evict";
                        }
                        case MUTE -> {
                            c.mute(true);
                            yield "mute";
                        }
                        case UNMUTE -> {
                            c.mute(false);
                            yield "unmute";
                        }
                        case REJECT -> {
                            String sym =
                                    r.nextDouble() < 0.7 && !wanted.isEmpty()
                                            ? any(r, wanted)
                                            : symbol(r, 0);
                            c.rejectSubscription(sym, REFUSAL);
                            rejectedEver.computeIfAbsent(id, k -> new HashSet<>()).add(sym);
                            yield "refuse subscriptions of " + sym;
                        }
                        case UNREJECT -> {
                            Set<String> ever = rejectedEver.getOrDefault(id, Set.of());
                            if (ever.isEmpty()) {
                                yield "unreject: nothing refused";
                            }
                            String sym = any(r, new TreeSet<>(ever));
                            c.unrejectSubscription(sym);
                            yield "accept subscriptions of " + sym + " again";
                        }
                        case HOLD_ACKS -> {
                            c.autoAck(false);
                            yield "hold acks";
                        }
                        case AUTO_ACK -> {
                            c.autoAck(true);
                            yield "ack at once";
                        }
                        case RELEASE_ACKS -> {
                            if (r.nextBoolean()) {
                                c.ackPending();
                                yield "release held acks in order";
                            }
                            c.ackPendingShuffled(r);
                            yield "release held acks shuffled";
                        }
                        case RELEASE_SOME_ACKS -> {
                            int n = 1 + r.nextInt(3);
                            c.ackPendingShuffled(r, n);
                            yield "release " + n + " held acks shuffled";
                        }
                        case TIME_OUT_ACKS -> {
                            c.timeOutPendingAcks();
                            timedOut.add(id);
                            yield "time out held acks";
                        }
                        case DROP_UNSUB_ACKS -> {
                            c.dropUnsubscribeAcks(true);
                            yield "drop unsubscribe acks";
                        }
                        case KEEP_UNSUB_ACKS -> {
                            c.dropUnsubscribeAcks(false);
                            yield "send unsubscribe acks";
                        }
                        case REFUSE_CONNECTS -> {
                            int n = 1 + r.nextInt(3);
                            c.refuseNextConnects(n, DisconnectReason.CONNECT_FAILED);
                            boolean drop = r.nextBoolean();
                            if (drop) {
                                c.drop();
                            }
                            yield "refuse the next " + n + " connects" + (drop ? ", drop" : "");
                        }
                        case REJECT_AUTH -> {
                            c.rejectAuth();
                            c.drop();
                            yield "reject auth, drop";
                        }
                        default -> throw new IllegalStateException(op.name());
                    };
            return id + ": " + what;
        }

        private String noise(Random r) {
            List<String> open =
                    current.stream().filter(id -> mock.connection(id).isOpen()).toList();
            if (open.isEmpty()) {
                return "noise: no connection open";
            }
            String id = open.get(r.nextInt(open.size()));
            int n = 1 + r.nextInt(4);
            List<MarketEvent> frame = new ArrayList<>();
            Map<Long, Sent> sent = new HashMap<>();
            long now = System.currentTimeMillis();
            for (int i = 0; i < n; i++) {
                String sym =
                        r.nextDouble() < 0.05 && !permanent.isEmpty()
                                ? permanent.get(r.nextInt(permanent.size()))
                                : universe.get(r.nextInt(universe.size()));
                long seq = nextSequence++;
                frame.add(MockEvents.trade(sym, seq, now));
                sent.put(seq, new Sent(sym, step, id, wanted.contains(sym)));
            }
            try {
                mock.connection(id).emit(frame);
                noise.putAll(sent);
            } catch (IllegalStateException closedMeanwhile) {
                return "noise on " + id + ": closed meanwhile";
            }
            return "noise on "
                    + id
                    + ": "
                    + frame.stream().map(MarketEvent::symbol).collect(Collectors.joining(","));
        }

        private String flush(Random r) {
            if (r.nextBoolean() || current.isEmpty()) {
                mock.flush(FLUSH);
                return "flush all";
            }
            String id = current.get(r.nextInt(current.size()));
            mock.connection(id).flush(FLUSH);
            return "flush " + id;
        }

        private String settle() {
            try {
                await().atMost(Duration.ofMillis(30))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .until(
                                () ->
                                        core.snapshot().connections().values().stream()
                                                .allMatch(
                                                        c ->
                                                                c.state().isTerminal()
                                                                        || c.state()
                                                                                == ConnectionState
                                                                                        .CONNECTED));
                return "settle: all connected";
            } catch (ConditionTimeoutException e) {
                return "settle: not all connected within 30ms";
            }
        }

        // ------------------------------------------------------------ checks

        /**
         * After every step: the invariants, the ticker set, coverage, no exception on a wire
         * thread.
         */
        private void checkAlways(ManagerSnapshot s) {
            s.connections()
                    .forEach(
                            (id, c) -> {
                                if (c.state() == ConnectionState.CONNECTED) {
                                    everConnected.add(id);
                                }
                            });
            List<String> broken = unignored(Invariants.check(s));
            if (!broken.isEmpty()) {
                fail("invariants broken:\n  " + String.join("\n  ", broken), s);
            }
            if (!s.tickers().keySet().equals(wanted)) {
                fail(
                        "the manager's tickers differ from what was subscribed: it has "
                                + minus(s.tickers().keySet(), wanted)
                                + " extra and lacks "
                                + minus(wanted, s.tickers().keySet()),
                        s);
            }
            if (!disabled.contains("GAP_CHECKS")) {
                checkCoverage(s);
            }
            List<Throwable> thrown = mock.listenerErrors();
            if (!thrown.isEmpty()) {
                fail(
                        "a transport callback threw on a wire thread: " + thrown.get(0),
                        thrown.get(0));
            }
        }

        /**
         * Once a ticker has been covered (acknowledged on a connected owner, secondary or move
         * source), it stays covered or has its gap open (or its server refused it) until it is
         * unsubscribed: nothing uncovers a ticker silently.
         */
        private void checkCoverage(ManagerSnapshot s) {
            everCovered.retainAll(wanted);
            for (Map.Entry<String, ManagerSnapshot.Ticker> e : s.tickers().entrySet()) {
                String sym = e.getKey();
                if (ackedOnHolder(s, sym)) {
                    everCovered.add(sym);
                } else if (everCovered.contains(sym)
                        && !e.getValue().gapOpen()
                        && s.holdersOf(sym).stream()
                                .map(s.connections()::get)
                                .noneMatch(c -> c != null && c.refused().containsKey(sym))) {
                    List<String> broken =
                            unignored(
                                    List.of(
                                            "G "
                                                    + sym
                                                    + " was covered and is not any more, but no"
                                                    + " gap is open: "
                                                    + e.getValue()));
                    if (!broken.isEmpty()) {
                        fail(broken.get(0), s);
                    }
                }
            }
        }

        private static boolean ackedOnHolder(ManagerSnapshot s, String sym) {
            for (String h : s.holdersOf(sym)) {
                ManagerSnapshot.Connection c = s.connections().get(h);
                if (c != null
                        && c.state() == ConnectionState.CONNECTED
                        && c.acked().contains(sym)) {
                    return true;
                }
            }
            return false;
        }

        private List<String> unignored(List<String> broken) {
            List<String> out = new ArrayList<>();
            for (String b : broken) {
                if (ignore == null || !ignore.matcher(b).find()) {
                    out.add(b);
                }
            }
            return out;
        }

        private void quietPhase() {
            quietPhases++;
            record("quiet phase " + quietPhases + ": heal every fault and wait");
            heal();
            ManagerSnapshot[] last = {null};
            long[] since = {0};
            try {
                await().atMost(quietTimeout)
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(2))
                        .untilAsserted(
                                () -> {
                                    mock.flush(FLUSH);
                                    ManagerSnapshot s = core.snapshot();
                                    List<String> broken = unignored(Invariants.checkQuiet(s));
                                    s.connections()
                                            .forEach(
                                                    (id, c) -> {
                                                        if (!c.state().isTerminal()
                                                                && c.state()
                                                                        != ConnectionState
                                                                                .CONNECTED) {
                                                            broken.add(
                                                                    id
                                                                            + " is "
                                                                            + c.state()
                                                                            + ", not connected");
                                                        }
                                                    });
                                    if (autoRebalance) {
                                        // The health check may still be moving tickers: wait
                                        // until the state has held for several of its rounds.
                                        long now = System.nanoTime();
                                        if (!s.equals(last[0])) {
                                            last[0] = s;
                                            since[0] = now;
                                        }
                                        if (now - since[0] < STABLE.toNanos()) {
                                            broken.add("not yet stable for " + STABLE);
                                        }
                                    }
                                    assertThat(broken).isEmpty();
                                });
            } catch (ConditionTimeoutException e) {
                fail(
                        "not quiet "
                                + quietTimeout.toSeconds()
                                + "s after every fault was healed: "
                                + e.getMessage(),
                        core.snapshot());
            }
            ManagerSnapshot s = core.snapshot();
            // The barrier after everything the manager sent up to this snapshot, for the servers
            // to be compared with it: each message is queued on its wire before the lock it was
            // sent under is released. The flush in the wait above ran before its snapshot, and a
            // message sent in between need not be read yet although the manager is quiet: an
            // unsubscribe whose ack it stopped waiting for (unsubscribe-ack-timeout = 30ms here)
            // while the wire thread was descheduled (seed 19, step 507, under load: c11's
            // unsubscribe of S09 after a fail-back was read 62 ms after it was sent, 32 ms after
            // the manager gave up its ack, and after the wait's flush).
            mock.flush(FLUSH);
            checkAlways(s);
            if (!disabled.contains("CRITICAL_CHECKS")) {
                checkCritical(s);
            }
            if (!disabled.contains("REHOME_CHECKS")) {
                checkRehomed(s);
            }
            checkServers(s);
            checkRefusals(s);
            try {
                if (!manager.awaitSubscribed(Duration.ofMillis(200))) {
                    fail("awaitSubscribed answered false although quiet", s);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            probe(s);
            checkNoise(s);
            ManagerSnapshot again = core.snapshot();
            if (!again.equals(s)) {
                fail("the control state changed while quiet: now " + describe(again), s);
            }
        }

        private void heal() {
            List<String> all = new ArrayList<>(current);
            all.addAll(removed);
            for (String id : all) {
                MockConnection c = mock.connection(id);
                c.mute(false);
                c.unrejectAllSubscriptions();
                c.allowAuth();
                c.acceptConnects();
                c.dropUnsubscribeAcks(false);
                c.autoAck(true);
                c.ackPending();
            }
        }

        /** A ticker stays critical (or not) as setCritical last said. */
        private void checkCritical(ManagerSnapshot s) {
            for (Map.Entry<String, Boolean> c : critical.entrySet()) {
                ManagerSnapshot.Ticker t = s.tickers().get(c.getKey());
                if (t != null && t.critical() != c.getValue()) {
                    fail(
                            c.getKey()
                                    + " should be "
                                    + (c.getValue() ? "critical" : "not critical")
                                    + " (setCritical said so) but the manager has "
                                    + t,
                            s);
                }
            }
        }

        /**
         * With failover on, a ticker whose owner (or a critical ticker whose second connection) is
         * terminal is re-homed as soon as a connected connection has room; a critical ticker gets a
         * second connection whenever one has room.
         */
        private void checkRehomed(ManagerSnapshot s) {
            for (Map.Entry<String, ManagerSnapshot.Ticker> e : s.tickers().entrySet()) {
                String sym = e.getKey();
                ManagerSnapshot.Ticker t = e.getValue();
                ManagerSnapshot.Connection owner = s.connections().get(t.owner());
                if (failover && owner != null && owner.state().isTerminal()) {
                    Optional<String> room = roomFor(s, sym, Set.of(t.owner()));
                    if (room.isPresent()) {
                        fail(
                                sym
                                        + " is left on "
                                        + t.owner()
                                        + " ("
                                        + owner.state()
                                        + ") although "
                                        + room.get()
                                        + " is connected and has room",
                                s);
                    }
                }
                // A ticker every server refuses cannot have a second connection either.
                if (Boolean.TRUE.equals(critical.get(sym))
                        && !permanent.contains(sym)
                        && !disabled.contains("CRITICAL_CHECKS")) {
                    ManagerSnapshot.Connection second =
                            t.secondary() == null ? null : s.connections().get(t.secondary());
                    if (second == null || second.state().isTerminal()) {
                        Set<String> not = new HashSet<>(t.refusedOn());
                        not.add(t.owner());
                        if (t.secondary() != null) {
                            not.add(t.secondary());
                        }
                        Optional<String> room = roomFor(s, sym, not);
                        if (room.isPresent()) {
                            fail(
                                    "critical "
                                            + sym
                                            + " has "
                                            + (second == null
                                                    ? "no second connection"
                                                    : "its second on "
                                                            + t.secondary()
                                                            + " ("
                                                            + second.state()
                                                            + ")")
                                            + " although "
                                            + room.get()
                                            + " is connected and has room",
                                    s);
                        }
                    }
                }
            }
        }

        private Optional<String> roomFor(ManagerSnapshot s, String sym, Set<String> except) {
            for (Map.Entry<String, ManagerSnapshot.Connection> c : s.connections().entrySet()) {
                ManagerSnapshot.Connection conn = c.getValue();
                if (!except.contains(c.getKey())
                        && conn.state() == ConnectionState.CONNECTED
                        && !conn.desired().contains(sym)
                        && conn.desired().size() < capacity.get(c.getKey())) {
                    return Optional.of(c.getKey());
                }
            }
            return Optional.empty();
        }

        /** Every open server holds exactly its connection's desired set less what it refused. */
        private void checkServers(ManagerSnapshot s) {
            List<String> all = new ArrayList<>(current);
            all.addAll(removed);
            for (String id : all) {
                MockConnection m = mock.connection(id);
                ManagerSnapshot.Connection c = s.connections().get(id);
                boolean open = m.isOpen();
                if (c == null || c.state() != ConnectionState.CONNECTED) {
                    if (open) {
                        fail(
                                "the server of "
                                        + id
                                        + " is open but the manager has it "
                                        + (c == null ? "removed" : c.state().toString())
                                        + "; it holds "
                                        + m.serverSubscriptions(),
                                s);
                    }
                    continue;
                }
                if (!open) {
                    fail("the manager has " + id + " connected but its server is not open", s);
                }
                Set<String> expected = new TreeSet<>(c.desired());
                expected.removeAll(c.refused().keySet());
                Set<String> held = new TreeSet<>(m.serverSubscriptions());
                if (!held.equals(expected)) {
                    fail(
                            "the server of "
                                    + id
                                    + " holds "
                                    + held
                                    + ", not desired less refused "
                                    + expected
                                    + " (extra "
                                    + minus(held, expected)
                                    + ", missing "
                                    + minus(expected, held)
                                    + ")",
                            s);
                }
            }
        }

        /** The manager lists a ticker as refused only when the server refused it or timed out. */
        private void checkRefusals(ManagerSnapshot s) {
            for (Map.Entry<String, ManagerSnapshot.Connection> e : s.connections().entrySet()) {
                String id = e.getKey();
                for (String sym : e.getValue().refused().keySet()) {
                    boolean justified =
                            permanent.contains(sym)
                                    || rejectedEver.getOrDefault(id, Set.of()).contains(sym)
                                    || timedOut.contains(id);
                    if (!justified) {
                        fail(id + " lists " + sym + " as refused, which its server never did", s);
                    }
                }
            }
        }

        /**
         * One new trade for every symbol ever used, sent by every open server: the listener gets
         * exactly one copy of each covered ticker's trade and nothing for the others.
         */
        private void probe(ManagerSnapshot s) {
            long now = System.currentTimeMillis();
            Map<String, Long> seqOf = new TreeMap<>();
            List<MarketEvent> frame = new ArrayList<>();
            Set<String> symbols = new TreeSet<>(everUsed);
            symbols.addAll(permanent);
            for (String sym : symbols) {
                long seq = nextSequence++;
                seqOf.put(sym, seq);
                frame.add(MockEvents.trade(sym, seq, now));
            }
            for (String id : current) {
                MockConnection m = mock.connection(id);
                if (m.isOpen()) {
                    m.emit(frame);
                }
            }
            mock.flush(FLUSH);
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Long> p : seqOf.entrySet()) {
                String sym = p.getKey();
                int got = copies(p.getValue());
                int expected = wanted.contains(sym) && covered(s, sym) ? 1 : 0;
                if (got != expected) {
                    wrong.add(
                            sym
                                    + ": "
                                    + got
                                    + " copies, expected "
                                    + expected
                                    + (wanted.contains(sym)
                                            ? " (subscribed; " + s.tickers().get(sym) + ")"
                                            : " (not subscribed)"));
                }
            }
            if (!wrong.isEmpty()) {
                fail(
                        "the tick listener got the wrong trades from the probe:\n  "
                                + String.join("\n  ", wrong),
                        s);
            }
        }

        private static boolean covered(ManagerSnapshot s, String sym) {
            for (String h : s.holdersOf(sym)) {
                ManagerSnapshot.Connection c = s.connections().get(h);
                if (c != null
                        && c.state() == ConnectionState.CONNECTED
                        && !c.refused().containsKey(sym)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * No trade sent after its ticker's unsubscribe returned (or before it was ever subscribed)
         * reached the listener, and nothing arrived twice.
         */
        private void checkNoise(ManagerSnapshot s) {
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<Long, Sent> n : new TreeMap<>(noise).entrySet()) {
                int got = copies(n.getKey());
                Sent sent = n.getValue();
                if ((!sent.wanted() && got > 0) || got > 1) {
                    wrong.add(
                            "trade "
                                    + n.getKey()
                                    + " of "
                                    + sent.symbol()
                                    + " sent on "
                                    + sent.connection()
                                    + " at step "
                                    + sent.step()
                                    + (sent.wanted() ? "" : " while not subscribed")
                                    + ": "
                                    + got
                                    + " copies delivered");
                }
            }
            for (Map.Entry<Long, AtomicInteger> g : received.entrySet()) {
                if (g.getKey() >= nextSequence) {
                    wrong.add("trade " + g.getKey() + " delivered but never sent");
                }
            }
            if (!wrong.isEmpty()) {
                fail(
                        "the tick listener got trades it should not have:\n  "
                                + String.join("\n  ", wrong.subList(0, Math.min(20, wrong.size())))
                                + (wrong.size() > 20 ? "\n  ... " + wrong.size() + " in all" : ""),
                        s);
            }
            noise.clear();
            received.clear();
        }

        private int copies(long seq) {
            AtomicInteger n = received.get(seq);
            return n == null ? 0 : n.get();
        }

        // ------------------------------------------------------------ listeners

        private void onEvent(MarketEvent e) {
            if (e instanceof Trade t) {
                received.computeIfAbsent(t.sequence(), k -> new AtomicInteger()).incrementAndGet();
            }
        }

        private void onStatus(StatusEvent e) {
            statusLog.addLast(e.toString());
            while (statusLog.size() > 15) {
                statusLog.pollFirst();
            }
        }

        // ------------------------------------------------------------ helpers

        private String symbol(Random r, double unwantedBias) {
            if (!permanent.isEmpty() && r.nextDouble() < 0.04) {
                return permanent.get(r.nextInt(permanent.size()));
            }
            if (r.nextDouble() < unwantedBias) {
                List<String> free = universe.stream().filter(s -> !wanted.contains(s)).toList();
                if (!free.isEmpty()) {
                    return free.get(r.nextInt(free.size()));
                }
            }
            return universe.get(r.nextInt(universe.size()));
        }

        private static String any(Random r, Collection<String> from) {
            List<String> l = new ArrayList<>(from);
            return l.get(r.nextInt(l.size()));
        }

        private static Set<String> minus(Set<String> a, Set<String> b) {
            Set<String> out = new TreeSet<>(a);
            out.removeAll(b);
            return out;
        }

        private <T> T call(String what, Supplier<T> op) {
            try {
                return op.get();
            } catch (RuntimeException e) {
                fail(what + " threw " + e, e);
                throw e;
            }
        }

        private void fail(String what) {
            fail(what, (Object) null);
        }

        private void fail(String what, Object detail) {
            StringBuilder b = new StringBuilder();
            b.append("ManagerModelTest failed: seed ")
                    .append(seed)
                    .append(", step ")
                    .append(step)
                    .append(" of ")
                    .append(steps)
                    .append(", quiet phase ")
                    .append(quietPhases)
                    .append(":\n")
                    .append(what)
                    .append("\n\nreplay: mvn -B -o test -pl transport-mock -am")
                    .append(" -Dtest=ManagerModelTest -Dsurefire.failIfNoSpecifiedTests=false")
                    .append(" -Djacoco.skip=true -D")
                    .append(SEED_PROPERTY)
                    .append('=')
                    .append(seed)
                    .append(" -D")
                    .append(STEPS_PROPERTY)
                    .append('=')
                    .append(step)
                    .append(
                            disabled.isEmpty()
                                    ? ""
                                    : " -D" + DISABLE_PROPERTY + "=" + String.join(",", disabled))
                    .append("\nconfiguration: ")
                    .append(config)
                    .append("\n\nlast operations:\n  ")
                    .append(String.join("\n  ", log))
                    .append("\n\nmodel: subscribed=")
                    .append(wanted)
                    .append(" critical=")
                    .append(
                            critical.entrySet().stream()
                                    .filter(Map.Entry::getValue)
                                    .map(Map.Entry::getKey)
                                    .toList())
                    .append(" connections=")
                    .append(current)
                    .append(" removed=")
                    .append(removed)
                    .append("\n\nmanager: ")
                    .append(describe(detail instanceof ManagerSnapshot s ? s : core.snapshot()))
                    .append("\n\nrecent status events:\n  ")
                    .append(String.join("\n  ", statusLog));
            if (detail instanceof Throwable t) {
                StringWriter w = new StringWriter();
                t.printStackTrace(new PrintWriter(w));
                b.append("\n\n").append(w);
                throw new AssertionError(b.toString(), t);
            }
            throw new AssertionError(b.toString());
        }

        private static String describe(ManagerSnapshot s) {
            StringBuilder b = new StringBuilder();
            b.append("sockets ").append(s.socketsHeld()).append(" of ").append(s.maxConnections());
            s.connections()
                    .forEach(
                            (id, c) ->
                                    b.append("\n  ")
                                            .append(id)
                                            .append(' ')
                                            .append(c.state())
                                            .append(c.socketHeld() ? " (socket)" : "")
                                            .append(": desired=")
                                            .append(new TreeSet<>(c.desired()))
                                            .append(" sent=")
                                            .append(new TreeSet<>(c.sent()))
                                            .append(" acked=")
                                            .append(new TreeSet<>(c.acked()))
                                            .append(" pending=")
                                            .append(new TreeSet<>(c.pending()))
                                            .append(" pendingUnsub=")
                                            .append(new TreeSet<>(c.pendingUnsub()))
                                            .append(" refused=")
                                            .append(new TreeMap<>(c.refused()).keySet())
                                            .append(" retrying=")
                                            .append(new TreeSet<>(c.retrying())));
            new TreeMap<>(s.tickers())
                    .forEach(
                            (sym, t) ->
                                    b.append("\n  ")
                                            .append(sym)
                                            .append(": owner=")
                                            .append(t.owner())
                                            .append(
                                                    t.secondary() == null
                                                            ? ""
                                                            : " secondary=" + t.secondary())
                                            .append(
                                                    t.moveFrom() == null
                                                            ? ""
                                                            : " moveFrom=" + t.moveFrom())
                                            .append(t.home() == null ? "" : " home=" + t.home())
                                            .append(t.critical() ? " critical" : "")
                                            .append(t.gapOpen() ? " gap" : ""));
            return b.toString();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * The run's router, recording the connections as the manager showed them when it first asked
     * where a watched new ticker should go, on the watching (test) thread: their state at the
     * routing decision, which no snapshot taken before or after the call can give.
     */
    private static final class RecordingRouter implements RoutingStrategy {
        private final RoutingStrategy router;
        private volatile Thread watcher;
        private volatile String watched;
        private List<ConnectionView> seen; // the watcher's only

        RecordingRouter(RoutingStrategy router) {
            this.router = router;
        }

        /** Records the next question about a symbol asked on this thread. */
        void watch(String symbol) {
            seen = null;
            watched = symbol;
            watcher = Thread.currentThread();
        }

        /** What the router was shown since {@link #watch}, or null; stops watching. */
        List<ConnectionView> seen() {
            watcher = null;
            watched = null;
            return seen;
        }

        @Override
        public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
            if (Thread.currentThread() == watcher
                    && ticker.symbol().equals(watched)
                    && seen == null) {
                seen = List.copyOf(connections);
            }
            return router.select(ticker, connections);
        }

        @Override
        public String explainRefusal(TickerView ticker, List<ConnectionView> connections) {
            return router.explainRefusal(ticker, connections);
        }

        @Override
        public double imbalance(List<ConnectionView> connections) {
            return router.imbalance(connections);
        }

        @Override
        public Map<String, Set<String>> plan(
                Map<String, ? extends Collection<TickerView>> current,
                List<ConnectionView> connections) {
            return router.plan(current, connections);
        }
    }

    /**
     * New tickers go to the connection with the fewest; a rebalance deals every ticker out afresh
     * in symbol order, which moves many of them.
     */
    private static final class FewestRouter implements RoutingStrategy {
        @Override
        public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
            ConnectionView best = null;
            for (ConnectionView c : connections) {
                if (c.canAccept() && (best == null || c.tickerCount() < best.tickerCount())) {
                    best = c;
                }
            }
            return best == null ? Optional.empty() : Optional.of(best.id());
        }

        @Override
        public Map<String, Set<String>> plan(
                Map<String, ? extends Collection<TickerView>> current,
                List<ConnectionView> connections) {
            Map<String, TickerView> all = new TreeMap<>();
            current.values().forEach(l -> l.forEach(t -> all.putIfAbsent(t.symbol(), t)));
            return placeAll(all.values(), connections);
        }
    }

    /** Random placement and random plans (seeded): every rebalance reshuffles. */
    private static final class ShuffleRouter implements RoutingStrategy {
        private final Random random;

        ShuffleRouter(Random random) {
            this.random = random;
        }

        @Override
        public synchronized Optional<String> select(
                TickerView ticker, List<ConnectionView> connections) {
            List<ConnectionView> open =
                    connections.stream().filter(ConnectionView::canAccept).toList();
            return open.isEmpty()
                    ? Optional.empty()
                    : Optional.of(open.get(random.nextInt(open.size())).id());
        }

        @Override
        public double imbalance(List<ConnectionView> connections) {
            return 0;
        }

        @Override
        public synchronized Map<String, Set<String>> plan(
                Map<String, ? extends Collection<TickerView>> current,
                List<ConnectionView> connections) {
            Map<String, Set<String>> plan = new LinkedHashMap<>();
            Map<String, Integer> room = new HashMap<>();
            for (ConnectionView c : connections) {
                if (c.state().isRoutable()) {
                    plan.put(c.id(), new LinkedHashSet<>());
                    room.put(c.id(), c.capacity());
                }
            }
            Set<String> all = new TreeSet<>();
            current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
            List<String> ids = new ArrayList<>(plan.keySet());
            for (String sym : all) {
                List<String> fit = ids.stream().filter(id -> room.get(id) > 0).toList();
                if (fit.isEmpty()) {
                    break;
                }
                String id = fit.get(random.nextInt(fit.size()));
                plan.get(id).add(sym);
                room.merge(id, -1, Integer::sum);
            }
            return plan;
        }
    }
}
