/**
 * The in-memory transport tests run the manager against, with a server side each test scripts
 * (drops, evictions, held acks, refusals), and a clock tests control. Depends on core's transport
 * SPI and event model only; no sockets.
 */
package io.tickmux.transport.mock;
