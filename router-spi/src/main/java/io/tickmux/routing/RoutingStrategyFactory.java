package io.tickmux.routing;

import com.typesafe.config.Config;

/**
 * Creates a {@link RoutingStrategy}. Discovered with {@link java.util.ServiceLoader}: list the
 * implementing class in {@code META-INF/services/io.tickmux.routing.RoutingStrategyFactory}. The
 * configuration selects a factory by {@link #name()} ({@code tickmux.routing.strategy =
 * round-robin}).
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface RoutingStrategyFactory {

    /**
     * The name configuration selects this router by.
     *
     * @return a stable name matching {@code [a-z][a-z0-9-]*}, unique among the routers on the
     *     classpath
     */
    String name();

    /**
     * Creates a strategy. Called once per manager at start-up.
     *
     * @param settings this router's own configuration subtree, {@code tickmux.routing.<name>};
     *     empty when the router has none; never {@code null}
     * @param context services of the host; never {@code null}
     * @return a new strategy; never {@code null}
     * @throws IllegalArgumentException when {@code settings} are invalid, with a message naming
     *     each bad key and how to fix it
     */
    RoutingStrategy create(Config settings, RoutingContext context);
}
