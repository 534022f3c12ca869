package io.tickmux.core.app;

import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.internal.NamedThreadFactory;
import io.tickmux.core.universe.UniverseSource;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-resolves every connection's universe every {@code tickmux.app.universes.refresh-interval} on
 * its own thread ({@code tickmux-universe-refresh}) and subscribes and unsubscribes the difference.
 * A universe that cannot be read keeps the previous one (its warning goes to health).
 */
final class UniverseRefresher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tickmux.class);

    private final MultiConnectionManager manager;
    private final UniverseSource universes;
    private final AppSettings app;
    private final CoreSettings coreSettings;
    private final Tickmux.Mode mode;
    private final boolean routeThroughRouter;

    /**
     * Connection id to its tickers; shared with {@link Tickmux#assignment()}, guarded by itself.
     */
    private final Map<String, List<String>> assignment;

    private ScheduledExecutorService timer;

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
    }

    /** Starts the timer when a refresh interval is set. Idempotent. */
    synchronized void start() {
        Duration every = interval(app);
        if (every.isZero() || timer != null) {
            return;
        }
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        new NamedThreadFactory("tickmux-universe-refresh"));
        timer.scheduleWithFixedDelay(
                this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration interval(AppSettings app) {
        return app.universes().hasPath("refresh-interval")
                ? app.universes().getDuration("refresh-interval")
                : Duration.ZERO;
    }

    /**
     * Re-resolves every connection's universe and subscribes and unsubscribes the difference. A
     * universe that cannot be read keeps the previous one (its warning goes to health).
     */
    void refresh() {
        synchronized (assignment) {
            try {
                ConnectionPlanner.Plan p =
                        mode == Tickmux.Mode.MULTI
                                ? ConnectionPlanner.plan(app, coreSettings, universes)
                                : ConnectionPlanner.singlePlan(app, universes);
                for (Map.Entry<String, List<String>> e : p.assignment.entrySet()) {
                    List<String> before = assignment.getOrDefault(e.getKey(), List.of());
                    List<String> after = e.getValue();
                    boolean unreadable =
                            p.warnings.stream().anyMatch(w -> w.contains("cannot be read"));
                    if (unreadable && after.isEmpty()) {
                        continue; // keep what we had
                    }
                    LinkedHashSet<String> added = new LinkedHashSet<>(after);
                    added.removeAll(before);
                    LinkedHashSet<String> removed = new LinkedHashSet<>(before);
                    removed.removeAll(after);
                    for (String t : removed) {
                        manager.unsubscribeTicker(t);
                    }
                    for (String t : added) {
                        if (routeThroughRouter) {
                            manager.subscribeTicker(t);
                        } else {
                            manager.subscribeTicker(t, e.getKey());
                        }
                    }
                    if (!added.isEmpty() || !removed.isEmpty()) {
                        LOG.info(
                                "universe refresh for {}: +{} -{}",
                                e.getKey(),
                                added.size(),
                                removed.size());
                    }
                    assignment.put(e.getKey(), after);
                }
                for (String w : p.warnings) {
                    if (w.contains("cannot be read")
                            && !manager.healthStatus().notes().contains(w)) {
                        LOG.warn(w);
                        manager.addNote(w);
                    }
                }
                universes
                        .degradation()
                        .ifPresent(
                                d -> {
                                    if (!manager.healthStatus().notes().contains(d)) {
                                        LOG.warn(d);
                                        manager.addNote(d);
                                    }
                                });
            } catch (RuntimeException ex) {
                LOG.warn("universe refresh failed; the previous universes stay", ex);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
