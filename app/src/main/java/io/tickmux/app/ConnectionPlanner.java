package io.tickmux.app;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.universe.Symbols;
import io.tickmux.spi.universe.UniverseSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans an application's connections and their tickers from {@link AppSettings}: the seed's rule
 * for each connection (its universe first, then its direct symbols, else idle with a warning),
 * every problem of the configuration as a list, and the mode it runs in ({@link #decide}: the
 * single-connection fallback when the multi-connection plan is invalid).
 */
final class ConnectionPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(Tickmux.class);

    private ConnectionPlanner() {}

    static final class Plan {
        final List<ConnectionDefinition> connections = new ArrayList<>();
        final Map<String, List<String>> assignment = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
    }

    /** The connections an application runs: its plan, its mode, and what health notes about it. */
    static final class Decision {
        final Plan plan;
        final Tickmux.Mode mode;
        final List<String> notes;

        Decision(Plan plan, Tickmux.Mode mode, List<String> notes) {
            this.plan = plan;
            this.mode = mode;
            this.notes = List.copyOf(notes);
        }
    }

    /**
     * Chooses the plan: the multi-connection plan when it is on and valid; else the single
     * connection, as a fallback (logged at ERROR, noted) when multi-connection is on, invalid, not
     * {@code strict} and the single plan is valid. Each warning is logged and noted, except that a
     * connection without tickers is not idle when a placing router fills it.
     *
     * @param app the application's settings
     * @param core core's settings
     * @param universes resolves universe keys
     * @param routerPlaces whether the router places tickers (any router but {@code manual})
     * @return the decision
     * @throws TickmuxConfigException listing the plan's problems when there is no valid plan
     */
    static Decision decide(
            AppSettings app, CoreSettings core, UniverseSource universes, boolean routerPlaces) {
        List<String> notes = new ArrayList<>();
        Plan plan = plan(app, core, universes);
        Tickmux.Mode mode = app.multiConnection() ? Tickmux.Mode.MULTI : Tickmux.Mode.SINGLE;
        if (app.multiConnection() && !plan.problems.isEmpty()) {
            Plan single = singlePlan(app, universes);
            if (app.strict() || !single.problems.isEmpty()) {
                List<String> all = new ArrayList<>(plan.problems);
                if (!app.strict()) {
                    all.addAll(single.problems);
                }
                throw new TickmuxConfigException(all);
            }
            LOG.error(
                    "multi-connection configuration is invalid, falling back to single-connection"
                            + " mode (set tickmux.app.strict = true to fail instead):\n  - {}",
                    String.join("\n  - ", plan.problems));
            notes.add("fell back to single-connection mode: " + String.join("; ", plan.problems));
            plan = single;
            mode = Tickmux.Mode.SINGLE_FALLBACK;
        } else if (!app.multiConnection()) {
            plan = singlePlan(app, universes);
            if (!plan.problems.isEmpty()) {
                throw new TickmuxConfigException(plan.problems);
            }
        }
        for (String w : plan.warnings) {
            // With a placing router (round-robin, ...) a connection without tickers of its own is
            // not idle: the router fills it.
            if (routerPlaces && w.endsWith("it stays idle")) {
                continue;
            }
            notes.add(w);
            LOG.warn(w);
        }
        return new Decision(plan, mode, notes);
    }

    static Plan plan(AppSettings app, CoreSettings core, UniverseSource universes) {
        Plan p = new Plan();
        List<AppSettings.Connection> enabled = app.enabledConnections();
        if (enabled.isEmpty()) {
            p.problems.add(
                    "tickmux.app.multi-connection is on but no connection is enabled: set"
                            + " tickmux.app.connections.<n>.enabled (WEBSOCKET_CONNECTION_<n>_ENABLED)");
        }
        if (enabled.size() > core.maxConnections()) {
            p.problems.add(
                    enabled.size()
                            + " connections are enabled but tickmux.core.max-connections"
                            + " (WEBSOCKET_CONNECTIONS_MAX) is "
                            + core.maxConnections()
                            + ": raise it or disable some");
        }
        Map<String, String> firstHolder = new LinkedHashMap<>();
        for (AppSettings.Connection c : enabled) {
            String label = "connection " + c.number() + " (" + c.name() + ")";
            p.connections.add(
                    new ConnectionDefinition(
                            c.id(),
                            c.name(),
                            c.capacity() == 0 ? Integer.MAX_VALUE : c.capacity(),
                            Set.copyOf(c.tags()),
                            c.transportSettings()));
            List<String> kept = new ArrayList<>();
            for (String t : tickers(label, c.source(), universes, p)) {
                String other = firstHolder.putIfAbsent(t, label);
                if (other == null) {
                    kept.add(t);
                    continue;
                }
                String msg =
                        "ticker "
                                + t
                                + " is listed on "
                                + other
                                + " and on "
                                + label
                                + ": list it on one (tickmux.app.duplicate-tickers = warn keeps it"
                                + " on the first)";
                if (app.duplicateTickers() == AppSettings.DuplicateTickers.FAIL) {
                    p.problems.add(msg);
                } else {
                    p.warnings.add(msg);
                }
            }
            p.assignment.put(c.id(), kept);
        }
        return p;
    }

    /**
     * Why a configured ticker is not one, or {@code null} when it is fine: the one rule of {@link
     * Symbols#problem}, so a refresh never drops what start-up let through.
     *
     * @param symbol a ticker from configuration or a universe
     * @return the problem, or {@code null}
     */
    static String tickerProblem(String symbol) {
        return Symbols.problem(symbol).orElse(null);
    }

    static Plan singlePlan(AppSettings app, UniverseSource universes) {
        Plan p = new Plan();
        p.connections.add(ConnectionDefinition.of("connection_1").withName("single"));
        List<String> t = tickers("the single connection", app.single(), universes, p);
        if (t.isEmpty()
                && app.single().universeKey().isEmpty()
                && app.single().symbols().isEmpty()) {
            p.problems.add(
                    "single-connection mode needs tickmux.app.single.universe-key"
                            + " (SYMBOL_UNIVERSE_KEY) or tickmux.app.single.symbols");
        }
        p.assignment.put("connection_1", t);
        return p;
    }

    /** The valid tickers of a list; each invalid one is a problem naming where it came from. */
    private static List<String> valid(List<String> tickers, String where, Plan p) {
        List<String> out = new ArrayList<>(tickers.size());
        for (String t : tickers) {
            String problem = tickerProblem(t);
            if (problem == null) {
                out.add(t);
            } else {
                p.problems.add(where + problem);
            }
        }
        return out;
    }

    /** The seed's rule: the universe first, then the direct symbols, else idle with a warning. */
    private static List<String> tickers(
            String label, AppSettings.Source src, UniverseSource universes, Plan p) {
        if (!src.universeKey().isEmpty()) {
            Optional<List<String>> u;
            try {
                u = universes.tickers(src.universeKey());
            } catch (UniverseSource.UniverseException e) {
                p.warnings.add(
                        label
                                + ": universe '"
                                + src.universeKey()
                                + "' cannot be read ("
                                + e.getMessage()
                                + ")");
                u = Optional.empty();
            }
            if (u.isPresent() && !u.get().isEmpty()) {
                return valid(
                        u.get(), label + ": universe '" + src.universeKey() + "' lists ticker ", p);
            }
            p.warnings.add(
                    label
                            + ": universe '"
                            + src.universeKey()
                            + "' is "
                            + (u.isPresent() ? "empty" : "not found")
                            + (src.symbols().isEmpty() ? "" : "; using its direct symbols"));
        }
        if (!src.symbols().isEmpty()) {
            return valid(
                    src.symbols(),
                    label
                            + ": "
                            + (src.symbolsOrigin().isEmpty() ? "symbols" : src.symbolsOrigin())
                            + ": ",
                    p);
        }
        p.warnings.add(label + " has no tickers: set a universe key or symbols; it stays idle");
        return List.of();
    }
}
