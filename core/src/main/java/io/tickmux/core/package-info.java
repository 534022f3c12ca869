/**
 * The manager's public API: {@link io.tickmux.core.MultiConnectionManager} and its builder, the
 * listeners, connection definitions, settings, health and the backfill hook. May depend on core's
 * other packages (its implementation lives in {@code io.tickmux.core.internal}), the router SPI and
 * kit, Typesafe Config, Micrometer and slf4j; never on {@code io.tickmux.core.app}, which assembles
 * an application on top of it.
 */
package io.tickmux.core;
