package com.example.tickmux.hashrouter;

import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;

/** All it takes to prove a router meets tickmux's contract. */
class HashRouterCompatibilityTest extends RoutingStrategyCompatibilityKit {
    @Override
    protected RoutingStrategy newStrategy() {
        return new HashRouter(0);
    }
}
