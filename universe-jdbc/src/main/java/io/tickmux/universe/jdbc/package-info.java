/**
 * A universe source that reads tickers from a database over JDBC (a {@code cache_entries}-style
 * JSON table or a symbol-per-row table). Depends on core's universe SPI, settings reader and secret
 * masking, HikariCP and slf4j.
 */
package io.tickmux.universe.jdbc;
