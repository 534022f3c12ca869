/**
 * Universes: the tickers to stream and their metadata, from a {@link
 * io.tickmux.spi.universe.UniverseSource} (the SPI, found with ServiceLoader) such as the built-in
 * file and HOCON sources. Depends on the JDK and Typesafe Config only.
 */
package io.tickmux.spi.universe;
