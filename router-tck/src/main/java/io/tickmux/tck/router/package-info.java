/**
 * The router compatibility kit: {@link io.tickmux.tck.router.RoutingStrategyCompatibilityKit}, the
 * abstract JUnit test every router extends. Depends on the router SPI, JUnit and AssertJ only, so a
 * router author needs nothing of the manager to run it.
 */
package io.tickmux.tck.router;
