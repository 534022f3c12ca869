/**
 * Strict reading of tickmux settings, every problem at once: {@link
 * io.tickmux.spi.config.SettingsReader} builds on the router SPI's {@code StrictConfig}. Depends on
 * Typesafe Config and {@code io.tickmux.routing.config} only, so transports, sinks and other
 * extensions can read their own settings the same way.
 */
package io.tickmux.spi.config;
