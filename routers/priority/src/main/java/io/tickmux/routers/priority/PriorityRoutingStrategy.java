package io.tickmux.routers.priority;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.routing.kit.Connections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes by tier: each tier (premium, standard, free, or numbers) has its connection(s); a ticker
 * goes to the emptiest connection of its tier. When those are full or down, {@link
 * Unavailable#SPILL} tries the next tiers in order (then the earlier ones), {@link
 * Unavailable#REFUSE} refuses with a status that says so.
 *
 * <p>A ticker's tier is its metadata tier, else this router's own {@code tickers} map, else the
 * default tier; a tier the router does not know counts as the default tier. Placement follows
 * rules, not balance, so {@link #imbalance} is 0 and automatic rebalances never run for it; a
 * rebalance on demand (or a failover) brings spilled tickers home when their tier has room again.
 *
 * <p>Deterministic; immutable, so thread-safe.
 */
public final class PriorityRoutingStrategy implements RoutingStrategy {

    /** What happens when a tier's connections are full or down. */
    public enum Unavailable {
        /** Use the next tier's connections (in tier order, wrapping around). */
        SPILL,
        /** Refuse the ticker with a status event. */
        REFUSE
    }

    private final List<String> order;
    private final Map<String, List<String>> connectionsByTier;
    private final Map<String, String> tierByTicker;
    private final String defaultTier;
    private final Unavailable unavailable;

    /**
     * @param order the tiers, highest priority first
     * @param connectionsByTier each tier's connection ids
     * @param tierByTicker tiers for tickers whose metadata has none
     * @param defaultTier the tier of a ticker with no known tier
     * @param unavailable what to do when a tier has no room
     */
    public PriorityRoutingStrategy(
            List<String> order,
            Map<String, List<String>> connectionsByTier,
            Map<String, String> tierByTicker,
            String defaultTier,
            Unavailable unavailable) {
        this.order = List.copyOf(order);
        this.connectionsByTier = Map.copyOf(connectionsByTier);
        this.tierByTicker = Map.copyOf(tierByTicker);
        this.defaultTier = defaultTier;
        this.unavailable = unavailable;
    }

    /**
     * The tier a ticker is routed by.
     *
     * @param t the ticker
     * @return a tier from the configured order
     */
    public String tierOf(TickerView t) {
        String tier =
                t.tier().isEmpty() ? tierByTicker.getOrDefault(t.symbol(), defaultTier) : t.tier();
        return connectionsByTier.containsKey(tier) ? tier : defaultTier;
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        Map<String, ConnectionView> byId = Connections.byId(connections);
        for (String tier : candidateTiers(tierOf(ticker))) {
            Optional<ConnectionView> best =
                    Connections.emptiest(connectionsByTier.getOrDefault(tier, List.of()), byId);
            if (best.isPresent()) {
                return best.map(ConnectionView::id);
            }
        }
        return Optional.empty();
    }

    private List<String> candidateTiers(String tier) {
        if (unavailable == Unavailable.REFUSE) {
            return List.of(tier);
        }
        int at = order.indexOf(tier);
        List<String> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            out.add(order.get((at + i) % order.size()));
        }
        return out;
    }

    @Override
    public String explainRefusal(TickerView ticker, List<ConnectionView> connections) {
        String tier = tierOf(ticker);
        return "tier '"
                + tier
                + "' connections "
                + connectionsByTier.getOrDefault(tier, List.of())
                + " are full or down and tickmux.routing.priority.when-unavailable = "
                + (unavailable == Unavailable.REFUSE ? "refuse" : "spill found no room elsewhere")
                + ": add capacity to the tier, or set when-unavailable = spill";
    }

    @Override
    public double imbalance(List<ConnectionView> connections) {
        return 0;
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        // Highest tier first, so a scarce connection goes to the tickers that own it.
        List<TickerView> all = new ArrayList<>();
        current.values().forEach(all::addAll);
        all.sort(
                Comparator.comparingInt((TickerView t) -> order.indexOf(tierOf(t)))
                        .thenComparing(TickerView::symbol));
        return placeAll(all, connections);
    }
}
