/**
 * The tickmux wire format: how an event or status event is written to a bus and read back, with a
 * stable message id per event (see {@code docs/wire-format.md}). Depends on core's event model, the
 * router SPI's connection state and Jackson only, so a consumer needs nothing of the manager.
 */
package io.tickmux.wire;
