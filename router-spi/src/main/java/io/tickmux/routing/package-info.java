/**
 * The routing SPI: what a third-party router implements.
 *
 * <p>Implement {@link io.tickmux.routing.RoutingStrategy} and a {@link
 * io.tickmux.routing.RoutingStrategyFactory}, register the factory in {@code
 * META-INF/services/io.tickmux.routing.RoutingStrategyFactory}, and select it by name in
 * configuration. This package depends on the JDK and Typesafe Config only.
 */
package io.tickmux.routing;
