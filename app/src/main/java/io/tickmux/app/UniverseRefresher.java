package io.tickmux.app;

import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.config.MaskedConfig;
import io.tickmux.spi.universe.Universe;
import io.tickmux.spi.universe.UniverseSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-resolves every connection's universe every {@code tickmux.app.universes.refresh-interval} on
 * its own thread ({@code tickmux-universe-refresh}) and subscribes and unsubscribes the difference.
 *
 * <p>A refresh reads every universe first, outside any lock (a database may be slow), then applies
 * the result under the assignment's lock, without I/O:
 *
 * <ul>
 *   <li>Only a ticker that no connection lists any more is unsubscribed: the union of every
 *       connection's tickers before and after decides, so a ticker two connections share stays when
 *       one of them drops it. With the {@code manual} router such a ticker moves to a connection
 *       that still lists it; with a placing router it stays where the router put it.
 *   <li>A universe that cannot be read keeps the connection's previous tickers (even when the
 *       connection has direct symbols to fall back on).
 *   <li>An entry that is not a valid symbol is skipped and the rest applied.
 *   <li>A ticker the manager does not hold (refused earlier: its connection was full or down) is
 *       tried again.
 * </ul>
 *
 * <p>Health notes are keyed, so a recurring problem shows once and goes away when it clears: {@code
 * universe:<source>} for the source's own degradation (a database it cannot reach) and {@code
 * universe:<source>:<key>} for one universe (unreadable, missing, empty, skipped entries), and
 * {@code universe:<source>#refused} for direct symbols the manager refused at a refresh, and {@code
 * universe:<source>#conflicts} for what would fail a start (a ticker two universes now list: the
 * first connection keeps it).
 */
final class UniverseRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tickmux.class);

    /** At most this many skipped entries are listed in one note; the rest are counted. */
    static final int LISTED = 5;

    private final MultiConnectionManager manager;
    private final UniverseSource universes;
    private final AppSettings app;
    private final CoreSettings coreSettings;
    private final Tickmux.Mode mode;
    private final boolean routeThroughRouter;
    private final String sourceName;

    /** Connection id to what it is configured with, in connection order. */
    private final Map<String, Configured> configured = new LinkedHashMap<>();

    /**
     * Connection id to its tickers; shared with {@link Tickmux#assignment()}, guarded by itself, as
     * is everything below that a refresh applies.
     */
    private final Map<String, List<String>> assignment;

    /** Notes this refresher has put, by key: only changes are logged. */
    private final Map<String, String> notes = new HashMap<>();

    /** Tickers (manual router) whose move to a connection that lists them was refused. */
    private final Set<String> misplaced = new LinkedHashSet<>();

    private final AtomicLong issued = new AtomicLong();
    private long applied;
    private volatile boolean closed;

    private ScheduledExecutorService timer; // guarded by this

    private record Configured(String label, String universeKey, boolean hasSymbols) {}

    UniverseRefresher(
            MultiConnectionManager manager,
            UniverseSource universes,
            AppSettings app,
            CoreSettings coreSettings,
            Tickmux.Mode mode,
            boolean routeThroughRouter,
            Map<String, List<String>> assignment) {
        this.manager = manager;
        this.universes = universes;
        this.app = app;
        this.coreSettings = coreSettings;
        this.mode = mode;
        this.routeThroughRouter = routeThroughRouter;
        this.assignment = assignment;
        this.sourceName = app.universeSource();
        if (mode == Tickmux.Mode.MULTI) {
            for (AppSettings.Connection c : app.enabledConnections()) {
                configured.put(
                        c.id(),
                        new Configured(
                                "connection " + c.number() + " (" + c.name() + ")",
                                c.source().universeKey(),
                                !c.source().symbols().isEmpty()));
            }
        } else {
            configured.put(
                    "connection_1",
                    new Configured(
                            "the single connection",
                            app.single().universeKey(),
                            !app.single().symbols().isEmpty()));
        }
    }

    /**
     * The key of the health note about a universe source as a whole.
     *
     * @param source the source's name, e.g. {@code jdbc}
     * @return {@code universe:<source>}
     */
    static String noteKey(String source) {
        return "universe:" + source;
    }

    /**
     * The key of the health note about one universe.
     *
     * @param source the source's name
     * @param universeKey the universe key
     * @return {@code universe:<source>:<key>}
     */
    static String noteKey(String source, String universeKey) {
        return "universe:" + source + ":" + universeKey;
    }

    /** Starts the timer when a refresh interval is set. Idempotent. */
    synchronized void start() {
        Duration every = app.refreshInterval();
        if (closed || every.isZero() || timer != null) {
            return;
        }
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        Threads.named("tickmux-universe-refresh"));
        timer.scheduleWithFixedDelay(
                this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Re-resolves every connection's universe (outside any lock), then subscribes and unsubscribes
     * the difference and updates the notes (under the assignment's lock). Never throws: a failure
     * keeps the previous universes and is logged. When two refreshes overlap, the later-started one
     * wins: a slower, older one is dropped.
     */
    void refresh() {
        if (closed) {
            return;
        }
        long ticket = issued.incrementAndGet();
        Reading reading = new Reading(universes);
        ConnectionPlanner.Plan plan;
        Optional<String> degradation;
        try {
            plan =
                    mode == Tickmux.Mode.MULTI
                            ? ConnectionPlanner.plan(app, coreSettings, reading)
                            : ConnectionPlanner.singlePlan(app, reading);
            degradation = universes.degradation();
        } catch (RuntimeException e) {
            LOG.warn("universe refresh failed; the previous universes stay", e);
            return;
        }
        synchronized (assignment) {
            if (closed || ticket < applied) {
                return;
            }
            applied = ticket;
            try {
                List<String> refused = apply(plan.assignment, reading);
                notes(reading, degradation, refused, plan.problems);
            } catch (RuntimeException e) {
                LOG.warn("applying the refreshed universes failed", e);
            }
        }
    }

    /** Under the assignment's lock; no I/O. */
    private List<String> apply(Map<String, List<String>> planned, Reading reading) {
        Map<String, List<String>> before = new LinkedHashMap<>(assignment);
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : planned.entrySet()) {
            Configured c = configured.get(e.getKey());
            boolean unreadable =
                    c != null && !c.universeKey().isEmpty() && reading.failed(c.universeKey());
            after.put(
                    e.getKey(),
                    unreadable ? before.getOrDefault(e.getKey(), List.of()) : e.getValue());
        }
        Set<String> was = union(before);
        Map<String, List<String>> owners = new LinkedHashMap<>();
        after.forEach(
                (id, tickers) ->
                        tickers.forEach(
                                t -> owners.computeIfAbsent(t, k -> new ArrayList<>()).add(id)));

        int unsubscribed = 0;
        for (String t : was) {
            if (!owners.containsKey(t)) {
                manager.unsubscribeTicker(t);
                misplaced.remove(t);
                unsubscribed++;
            }
        }
        int subscribed = 0;
        int moved = 0;
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, List<String>> o : owners.entrySet()) {
            String t = o.getKey();
            List<String> listing = o.getValue();
            Optional<String> at = manager.connectionForTicker(t);
            try {
                if (at.isEmpty()) {
                    // New, or refused before (its connection was full or down): try (again).
                    boolean ok =
                            routeThroughRouter
                                    ? manager.subscribeTicker(t)
                                    : manager.subscribeTicker(t, listing.get(0));
                    subscribed += ok ? 1 : 0;
                } else if (!routeThroughRouter && !listing.contains(at.get())) {
                    // Its connection dropped it (now or earlier) while another still lists it.
                    boolean dropped =
                            before.getOrDefault(at.get(), List.of()).contains(t)
                                    || misplaced.contains(t);
                    if (dropped) {
                        if (manager.subscribeTicker(t, listing.get(0))) {
                            misplaced.remove(t);
                            moved++;
                        } else {
                            misplaced.add(t);
                        }
                    }
                } else {
                    misplaced.remove(t);
                }
            } catch (IllegalArgumentException ex) {
                // A direct symbol the manager refuses; universes' entries were checked already.
                refused.add(ex.getMessage());
            }
        }
        misplaced.retainAll(owners.keySet());
        for (Map.Entry<String, List<String>> e : after.entrySet()) {
            List<String> old = before.getOrDefault(e.getKey(), List.of());
            if (!old.equals(e.getValue())) {
                LinkedHashSet<String> added = new LinkedHashSet<>(e.getValue());
                old.forEach(added::remove);
                LinkedHashSet<String> removed = new LinkedHashSet<>(old);
                e.getValue().forEach(removed::remove);
                LOG.info(
                        "universe refresh for {}: +{} -{}",
                        e.getKey(),
                        added.size(),
                        removed.size());
            }
        }
        if (unsubscribed + subscribed + moved > 0) {
            LOG.info(
                    "universe refresh: {} subscribed, {} unsubscribed (no connection lists them),"
                            + " {} moved to a connection that lists them",
                    subscribed,
                    unsubscribed,
                    moved);
        }
        assignment.clear();
        assignment.putAll(after);
        return refused;
    }

    private static Set<String> union(Map<String, List<String>> assignment) {
        Set<String> all = new LinkedHashSet<>();
        assignment.values().forEach(all::addAll);
        return all;
    }

    /** Under the assignment's lock: puts (or removes) every note this refresh decides. */
    private void notes(
            Reading reading,
            Optional<String> degradation,
            List<String> refused,
            List<String> conflicts) {
        Map<String, String> now = new LinkedHashMap<>();
        now.put(noteKey(sourceName), degradation.map(MaskedConfig::maskUrls).orElse(null));
        for (Map.Entry<String, Outcome> e : reading.outcomes.entrySet()) {
            now.put(noteKey(sourceName, e.getKey()), note(e.getKey(), e.getValue()));
        }
        now.put(
                noteKey(sourceName) + "#refused",
                refused.isEmpty()
                        ? null
                        : "symbols refused at universe refresh: " + String.join("; ", refused));
        // What would fail a start (a ticker two universes now list) cannot fail a refresh: the
        // planner resolved it (the first connection keeps the ticker); health says so.
        now.put(
                noteKey(sourceName) + "#conflicts",
                conflicts.isEmpty()
                        ? null
                        : "universe refresh: "
                                + String.join(
                                        "; ",
                                        conflicts.subList(0, Math.min(conflicts.size(), LISTED)))
                                + (conflicts.size() > LISTED
                                        ? "; and " + (conflicts.size() - LISTED) + " more"
                                        : ""));
        for (String stale : new ArrayList<>(notes.keySet())) {
            now.putIfAbsent(stale, null);
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            String previous = notes.get(e.getKey());
            if (Objects.equals(previous, e.getValue())) {
                continue;
            }
            if (e.getValue() == null) {
                notes.remove(e.getKey());
                LOG.info("cleared: {}", previous);
            } else {
                notes.put(e.getKey(), e.getValue());
                LOG.warn(e.getValue());
            }
            manager.putNote(e.getKey(), e.getValue());
        }
    }

    /** The note about one universe after a refresh, or {@code null} when all is well. */
    private String note(String key, Outcome o) {
        List<String> using = new ArrayList<>();
        List<String> fallback = new ArrayList<>();
        for (Configured c : configured.values()) {
            if (c.universeKey().equals(key)) {
                using.add(c.label());
                fallback.add(
                        c.label()
                                + (c.hasSymbols()
                                        ? " uses its direct symbols"
                                        : " has no tickers of its own"));
            }
        }
        String u = "universe '" + key + "'";
        if (o.failure() != null) {
            return u
                    + " cannot be read ("
                    + MaskedConfig.maskUrls(o.failure())
                    + "); "
                    + String.join(", ", using)
                    + " keep"
                    + (using.size() == 1 ? "s" : "")
                    + " the previous tickers";
        }
        if (o.universe().isEmpty()) {
            return u + " is not found; " + String.join(", ", fallback);
        }
        Universe read = o.universe().get();
        List<String> parts = new ArrayList<>();
        if (!read.skipped().isEmpty()) {
            int n = read.skipped().size();
            parts.add(
                    n
                            + " entr"
                            + (n == 1 ? "y" : "ies")
                            + " skipped: "
                            + String.join("; ", read.skipped().subList(0, Math.min(n, LISTED)))
                            + (n > LISTED ? "; and " + (n - LISTED) + " more" : ""));
        }
        if (read.tickers().isEmpty()) {
            parts.add("it is empty; " + String.join(", ", fallback));
        }
        return parts.isEmpty() ? null : u + ": " + String.join("; ", parts);
    }

    /** Stops the timer; a refresh in flight applies nothing after this returns. Idempotent. */
    @Override
    public synchronized void close() {
        synchronized (assignment) {
            closed = true;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** What reading one universe gave. */
    private record Outcome(Optional<Universe> universe, String failure) {}

    /**
     * The source as the planner sees it during one refresh: each universe read once (two
     * connections may share one), invalid entries skipped, and every failure recorded, including a
     * source's unexpected exception, which becomes an unreadable universe.
     */
    private static final class Reading implements UniverseSource {
        private final UniverseSource source;
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

        Reading(UniverseSource source) {
            this.source = source;
        }

        @Override
        public Optional<List<String>> tickers(String key) {
            Outcome o = outcomes.computeIfAbsent(key, this::readOnce);
            if (o.failure() != null) {
                throw new UniverseException(o.failure(), null);
            }
            return o.universe().map(Universe::tickers);
        }

        private Outcome readOnce(String key) {
            try {
                return new Outcome(source.read(key).map(Universe::checked), null);
            } catch (UniverseException e) {
                return new Outcome(Optional.empty(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn(
                        "universe source {} threw reading '{}'",
                        source.getClass().getName(),
                        key,
                        e);
                return new Outcome(Optional.empty(), "the source failed: " + e);
            }
        }

        boolean failed(String key) {
            Outcome o = outcomes.get(key);
            return o != null && o.failure() != null;
        }
    }
}
