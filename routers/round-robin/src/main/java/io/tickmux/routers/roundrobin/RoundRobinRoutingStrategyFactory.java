package io.tickmux.routers.roundrobin;

import com.typesafe.config.Config;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;

/** Creates the {@link RoundRobinRoutingStrategy}, named {@code round-robin}. It has no settings. */
public final class RoundRobinRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "round-robin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config settings, RoutingContext context) {
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException(
                    "tickmux.routing.round-robin takes no settings, found "
                            + settings.root().keySet()
                            + ": remove them");
        }
        return new RoundRobinRoutingStrategy();
    }
}
