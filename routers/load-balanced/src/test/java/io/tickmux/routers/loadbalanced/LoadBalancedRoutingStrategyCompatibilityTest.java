package io.tickmux.routers.loadbalanced;

import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;

class LoadBalancedRoutingStrategyCompatibilityTest extends RoutingStrategyCompatibilityKit {
    @Override
    protected RoutingStrategy newStrategy() {
        return new LoadBalancedRoutingStrategy(1.0, 500, 0.001);
    }
}
