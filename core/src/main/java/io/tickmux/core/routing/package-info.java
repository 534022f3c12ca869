/**
 * The built-in {@code manual} router, which places tickers where configuration says. A router like
 * any plugin: it depends on the router SPI, the router kit and Typesafe Config only.
 */
package io.tickmux.core.routing;
