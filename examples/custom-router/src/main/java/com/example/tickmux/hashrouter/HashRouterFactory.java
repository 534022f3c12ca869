package com.example.tickmux.hashrouter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;

/**
 * The factory tickmux finds with ServiceLoader (see {@code
 * META-INF/services/io.tickmux.routing.RoutingStrategyFactory}) and selects by name: {@code
 * tickmux.routing.strategy = hash}.
 */
public final class HashRouterFactory implements RoutingStrategyFactory {

    @Override
    public String name() {
        return "hash";
    }

    @Override
    public RoutingStrategy create(Config settings, RoutingContext context) {
        for (String key : settings.root().keySet()) {
            if (!key.equals("seed")) {
                throw new IllegalArgumentException(
                        "unknown key tickmux.routing.hash."
                                + key
                                + ": the hash router takes only seed");
            }
        }
        try {
            return new HashRouter(settings.hasPath("seed") ? settings.getInt("seed") : 0);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("tickmux.routing.hash.seed must be an integer", e);
        }
    }
}
