package io.tickmux.routers.loadbalanced;

import com.typesafe.config.Config;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.config.StrictConfig;

/**
 * Creates the {@link LoadBalancedRoutingStrategy}, named {@code load-balanced}, from {@code
 * tickmux.routing.load-balanced} (documented in this module's {@code reference.conf}).
 */
public final class LoadBalancedRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "load-balanced";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config s, RoutingContext context) {
        // Defaults come from this module's reference.conf; unknown keys get a did-you-mean.
        StrictConfig r = StrictConfig.of(s, "tickmux.routing.load-balanced");
        double defaultRate = r.doubleIn("default-rate", 0, 1e9);
        int maxMoves = r.intIn("max-moves", 0, Integer.MAX_VALUE);
        double minImprovement = r.doubleIn("min-improvement", 0, 1);
        r.finish();
        return new LoadBalancedRoutingStrategy(defaultRate, maxMoves, minImprovement);
    }
}
