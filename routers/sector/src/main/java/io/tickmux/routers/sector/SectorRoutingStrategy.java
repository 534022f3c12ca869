package io.tickmux.routers.sector;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.routing.kit.Connections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes by sector: each sector has its connection(s); a ticker goes to the emptiest connection of
 * its sector. A ticker's sector is its metadata sector, else this router's own map (from HOCON or a
 * {@code symbol,sector,tier} CSV file); an unknown sector goes to the default connection. When the
 * sector's connections are full or down, {@code spill} uses the emptiest other connection and
 * {@code refuse} refuses with a status that says so.
 *
 * <p>Placement follows rules, not balance: {@link #imbalance} is 0. Deterministic; immutable.
 */
public final class SectorRoutingStrategy implements RoutingStrategy {

    private final Map<String, List<String>> connectionsBySector;
    private final Map<String, String> sectorByTicker;
    private final String defaultConnection;
    private final boolean spill;

    /**
     * @param connectionsBySector each sector's connection ids (sector names compared lower-case)
     * @param sectorByTicker sectors of tickers whose metadata has none
     * @param defaultConnection where an unknown sector goes
     * @param spill {@code true} to spill to other connections, {@code false} to refuse
     */
    public SectorRoutingStrategy(
            Map<String, List<String>> connectionsBySector,
            Map<String, String> sectorByTicker,
            String defaultConnection,
            boolean spill) {
        Map<String, List<String>> lower = new HashMap<>();
        connectionsBySector.forEach(
                (k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.connectionsBySector = Map.copyOf(lower);
        this.sectorByTicker = Map.copyOf(sectorByTicker);
        this.defaultConnection = defaultConnection;
        this.spill = spill;
    }

    /**
     * The sector a ticker is routed by.
     *
     * @param t the ticker
     * @return the sector, lower-case, or empty when unknown
     */
    public String sectorOf(TickerView t) {
        String s = t.sector().isEmpty() ? sectorByTicker.getOrDefault(t.symbol(), "") : t.sector();
        return s.toLowerCase(Locale.ROOT);
    }

    private List<String> homes(TickerView t) {
        List<String> h = connectionsBySector.get(sectorOf(t));
        return h != null ? h : List.of(defaultConnection);
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        Optional<ConnectionView> best =
                Connections.emptiest(homes(ticker), Connections.byId(connections));
        if (best.isEmpty() && spill) {
            best = Connections.emptiest(connections);
        }
        return best.map(ConnectionView::id);
    }

    @Override
    public String explainRefusal(TickerView ticker, List<ConnectionView> connections) {
        String sector = sectorOf(ticker);
        return "sector '"
                + (sector.isEmpty() ? "(unknown)" : sector)
                + "' connections "
                + homes(ticker)
                + " are full or down"
                + (spill
                        ? " and so is every other connection"
                        : " and tickmux.routing.sector.when-unavailable = refuse")
                + ": add capacity, or map the sector to more connections";
    }

    @Override
    public double imbalance(List<ConnectionView> connections) {
        return 0;
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        List<TickerView> all = new ArrayList<>();
        current.values().forEach(all::addAll);
        all.sort(Comparator.comparing(TickerView::symbol));
        return placeAll(all, connections);
    }
}
