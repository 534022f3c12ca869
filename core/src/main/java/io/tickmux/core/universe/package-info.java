/**
 * The built-in universe sources: {@code hocon} (tickers listed in the configuration) and {@code
 * file} (a JSON or text file), registered with {@link java.util.ServiceLoader} like any other
 * {@link io.tickmux.spi.universe.UniverseSourceFactory}. Depends on the SPI and Typesafe Config.
 */
package io.tickmux.core.universe;
