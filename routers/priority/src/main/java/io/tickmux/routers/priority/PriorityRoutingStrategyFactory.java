package io.tickmux.routers.priority;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.config.StrictConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Creates the {@link PriorityRoutingStrategy}, named {@code priority}, from {@code
 * tickmux.routing.priority} (documented in this module's {@code reference.conf}).
 */
public final class PriorityRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "priority";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config s, RoutingContext context) {
        // Defaults come from this module's reference.conf; unknown keys get a did-you-mean.
        StrictConfig r = StrictConfig.of(s, "tickmux.routing.priority");
        Map<String, List<String>> tiers = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.freeForm("tiers").root().entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.LIST) {
                List<String> ids = new ArrayList<>();
                for (Object o : (List<?>) v.unwrapped()) {
                    ids.add(String.valueOf(o));
                }
                tiers.put(e.getKey(), ids);
            } else if (v.valueType() == ConfigValueType.STRING) {
                tiers.put(e.getKey(), List.of((String) v.unwrapped()));
            } else {
                r.problem("tiers." + e.getKey(), "must be a connection id or a list of them");
            }
        }
        if (tiers.isEmpty()) {
            r.problem("tiers", "is empty: map at least one tier to a connection");
        }
        List<String> order = new ArrayList<>(r.stringList("order"));
        if (order.isEmpty()) {
            order.addAll(new TreeSet<>(tiers.keySet()));
        }
        for (String t : order) {
            if (!tiers.containsKey(t)) {
                r.problem("order", "names tier '" + t + "', which tiers does not map");
            }
        }
        for (String t : tiers.keySet()) {
            if (!order.contains(t)) {
                r.problem("tiers", "maps '" + t + "', which order does not list");
            }
        }
        String defaultTier = r.string("default-tier");
        if (defaultTier.isEmpty() && !order.isEmpty()) {
            defaultTier = order.get(order.size() - 1);
        }
        if (!defaultTier.isEmpty() && !tiers.containsKey(defaultTier)) {
            r.problem("default-tier", "= '" + defaultTier + "' is not one of " + tiers.keySet());
        }
        PriorityRoutingStrategy.Unavailable unavailable =
                r.enumValue("when-unavailable", PriorityRoutingStrategy.Unavailable.class);
        Map<String, String> byTicker = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.freeForm("tickers").root().entrySet()) {
            byTicker.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        r.finish();
        return new PriorityRoutingStrategy(order, tiers, byTicker, defaultTier, unavailable);
    }
}
