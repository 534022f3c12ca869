package io.tickmux.core.app;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.universe.UniverseSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans an application's connections and their tickers from {@link AppSettings}: the seed's rule
 * for each connection (its universe first, then its direct symbols, else idle with a warning), and
 * every problem of the configuration as a list.
 */
final class ConnectionPlanner {

    private ConnectionPlanner() {}

    static final class Plan {
        final List<ConnectionDefinition> connections = new ArrayList<>();
        final Map<String, List<String>> assignment = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
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
        for (AppSettings.Connection c : enabled) {
            String label = "connection " + c.number() + " (" + c.name() + ")";
            p.connections.add(ConnectionDefinition.of(c.id()).withName(c.name()));
            p.assignment.put(c.id(), tickers(label, c.source(), universes, p));
        }
        return p;
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
                return u.get();
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
            return src.symbols();
        }
        p.warnings.add(label + " has no tickers: set a universe key or symbols; it stays idle");
        return List.of();
    }
}
