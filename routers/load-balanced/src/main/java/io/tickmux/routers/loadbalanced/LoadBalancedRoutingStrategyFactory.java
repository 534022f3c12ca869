package io.tickmux.routers.loadbalanced;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates the {@link LoadBalancedRoutingStrategy}, named {@code load-balanced}, from {@code
 * tickmux.routing.load-balanced} (documented in this module's {@code reference.conf}).
 */
public final class LoadBalancedRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "load-balanced";

    private static final String P = "tickmux.routing.load-balanced.";
    private static final Set<String> KEYS = Set.of("default-rate", "max-moves", "min-improvement");

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
        double defaultRate = number(s, "default-rate", 1.0, 0, 1e9, problems);
        double maxMoves = number(s, "max-moves", 500, 0, Integer.MAX_VALUE, problems);
        double minImprovement = number(s, "min-improvement", 0.001, 0, 1, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LoadBalancedRoutingStrategy(defaultRate, (int) maxMoves, minImprovement);
    }

    private static double number(
            Config s, String key, double dflt, double min, double max, List<String> problems) {
        if (!s.hasPath(key)) {
            return dflt;
        }
        try {
            double v = s.getDouble(key);
            if (v < min || v > max) {
                problems.add(P + key + " = " + v + " is out of range: use " + min + ".." + max);
            }
            return v;
        } catch (ConfigException e) {
            problems.add(P + key + " must be a number");
            return dflt;
        }
    }
}
