package io.tickmux.routers.roundrobin;

import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;

class RoundRobinRoutingStrategyCompatibilityTest extends RoutingStrategyCompatibilityKit {
    @Override
    protected RoutingStrategy newStrategy() {
        return new RoundRobinRoutingStrategy();
    }
}
