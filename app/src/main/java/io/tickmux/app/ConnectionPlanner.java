package io.tickmux.app;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.spi.universe.Symbols;
import io.tickmux.spi.universe.UniverseSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
