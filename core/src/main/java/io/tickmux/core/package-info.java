/**
 * The manager's public API: {@link io.tickmux.core.MultiConnectionManager} and its builder,
 * connection definitions, settings, health and the plugin {@link io.tickmux.core.Catalogue}. May
 * depend on core's other packages (its implementation lives in {@code io.tickmux.core.internal}),
 * the SPI module, the router SPI and kit, Typesafe Config, Micrometer and slf4j; never on Guice or
 * on {@code io.tickmux.app} (module tickmux-app), which assembles an application on top of it.
 */
package io.tickmux.core;
