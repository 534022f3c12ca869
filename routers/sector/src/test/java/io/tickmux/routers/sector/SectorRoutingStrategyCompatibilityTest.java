package io.tickmux.routers.sector;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;

class SectorRoutingStrategyCompatibilityTest extends RoutingStrategyCompatibilityKit {
    @Override
    protected RoutingStrategy newStrategy() {
        return new SectorRoutingStrategyFactory()
                .create(
                        ConfigFactory.parseResources("reference.conf")
                                .getConfig("tickmux.routing.sector"),
                        null);
    }
}
