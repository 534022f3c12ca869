package io.tickmux.routers.priority;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.tck.router.RoutingStrategyCompatibilityKit;

/** The kit's tiers (premium, standard, free, none) over its connection ids. */
class PriorityRoutingStrategyCompatibilityTest extends RoutingStrategyCompatibilityKit {
    @Override
    protected RoutingStrategy newStrategy() {
        return new PriorityRoutingStrategyFactory()
                .create(
                        ConfigFactory.parseString(
                                        "tiers { premium = [connection_1, c1, a, c0], standard ="
                                                + " [connection_2, c2, b, c3], free = [connection_3, c3,"
                                                + " c4, d, c, c1, c2, c0] }\n"
                                                + "order = [premium, standard, free]")
                                .withFallback(
                                        ConfigFactory.parseResources("reference.conf")
                                                .getConfig("tickmux.routing.priority")
                                                .withoutPath("tiers")),
                        null);
    }
}
