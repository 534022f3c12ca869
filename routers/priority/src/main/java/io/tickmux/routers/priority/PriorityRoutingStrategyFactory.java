package io.tickmux.routers.priority;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates the {@link PriorityRoutingStrategy}, named {@code priority}, from {@code
 * tickmux.routing.priority} (documented in this module's {@code reference.conf}).
 */
public final class PriorityRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "priority";

    private static final String P = "tickmux.routing.priority.";
    private static final Set<String> KEYS =
            Set.of("tiers", "order", "default-tier", "when-unavailable", "tickers");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config s, RoutingContext context) {
        List<String> problems = new ArrayList<>();
        for (String k : s.root().keySet()) {
            if (!KEYS.contains(k)) {
                problems.add("unknown key " + P + k + ": use one of " + KEYS);
            }
        }
        Map<String, List<String>> tiers = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : s.getObject("tiers").entrySet()) {
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
                    problems.add(
                            P
                                    + "tiers."
                                    + e.getKey()
                                    + " must be a connection id or a list of them");
                }
            }
        } catch (ConfigException e) {
            problems.add(
                    P
                            + "tiers must map each tier to connection ids, e.g. tiers { premium = connection_1 }");
        }
        if (tiers.isEmpty() && problems.isEmpty()) {
            problems.add(P + "tiers is empty: map at least one tier to a connection");
        }
        List<String> order = new ArrayList<>();
        try {
            order.addAll(s.hasPath("order") ? s.getStringList("order") : List.of());
        } catch (ConfigException e) {
            problems.add(P + "order must be a list of tiers, highest first");
        }
        if (order.isEmpty()) {
            order.addAll(new java.util.TreeSet<>(tiers.keySet()));
        }
        for (String t : order) {
            if (!tiers.containsKey(t)) {
                problems.add(P + "order names tier '" + t + "', which tiers does not map");
            }
        }
        for (String t : tiers.keySet()) {
            if (!order.contains(t)) {
                problems.add(P + "tiers maps '" + t + "', which order does not list");
            }
        }
        String defaultTier = s.hasPath("default-tier") ? s.getString("default-tier") : "";
        if (defaultTier.isEmpty() && !order.isEmpty()) {
            defaultTier = order.get(order.size() - 1);
        }
        if (!defaultTier.isEmpty() && !tiers.containsKey(defaultTier)) {
            problems.add(
                    P + "default-tier = '" + defaultTier + "' is not one of " + tiers.keySet());
        }
        PriorityRoutingStrategy.Unavailable unavailable = PriorityRoutingStrategy.Unavailable.SPILL;
        String u = s.hasPath("when-unavailable") ? s.getString("when-unavailable") : "spill";
        try {
            unavailable = PriorityRoutingStrategy.Unavailable.valueOf(u.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(P + "when-unavailable = '" + u + "' is not valid: use spill or refuse");
        }
        Map<String, String> byTicker = new LinkedHashMap<>();
        if (s.hasPath("tickers")) {
            try {
                for (Map.Entry<String, ConfigValue> e : s.getObject("tickers").entrySet()) {
                    byTicker.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
                }
            } catch (ConfigException e) {
                problems.add(
                        P + "tickers must map tickers to tiers, e.g. tickers { AAPL = premium }");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new PriorityRoutingStrategy(order, tiers, byTicker, defaultTier, unavailable);
    }
}
