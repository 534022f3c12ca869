package io.tickmux.tck;

import io.tickmux.core.routing.ManualRoutingStrategy;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;
import java.util.Map;

/** The built-in manual router runs the kit, with rules for some of the kit's tickers. */
class ManualRoutingStrategyCompatibilityTest extends RoutingStrategyCompatibilityKit {

    @Override
    protected RoutingStrategy newStrategy() {
        return new ManualRoutingStrategy(
                Map.of("T1", "connection_2", "T2", "c3", "T3", "no-such-connection"));
    }
}
