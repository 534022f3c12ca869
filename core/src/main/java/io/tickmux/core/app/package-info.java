/**
 * Application assembly: {@link io.tickmux.core.app.Tickmux} reads the layered configuration (HOCON,
 * {@code .env}, environment), plans connections, binds everything with Guice, runs extensions and
 * refreshes universes. The only package of core that uses Guice and dotenv; it may depend on every
 * other core package but {@code internal}, and nothing in core depends on it.
 */
package io.tickmux.core.app;
