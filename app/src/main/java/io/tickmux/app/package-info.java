/**
 * Application assembly (module tickmux-app): {@link io.tickmux.app.Tickmux} reads the layered
 * configuration (HOCON, {@code .env}, environment), plans connections, binds everything with Guice,
 * starts sinks, runs extensions and refreshes universes. The only module that uses Guice and
 * dotenv; it depends on core's and the SPI's API packages, never on an {@code internal} one.
 */
package io.tickmux.app;
