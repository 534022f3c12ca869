/**
 * What every bus sink shares: a bounded ring the read threads write into, one publishing thread,
 * the {@code tickmux.sink.*} meters, health and an orderly close; a sink module says only how to
 * connect and publish. Depends on core's sink SPI and event model, Micrometer and slf4j.
 */
package io.tickmux.wire.sink;
