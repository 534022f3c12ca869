/**
 * The mock transport's implementation: a connection's wire thread, the subscriptions its scripted
 * server holds and how that server answers connect attempts. Not API: only {@code
 * io.tickmux.transport.mock} may use it. May depend on core's transport SPI only.
 */
package io.tickmux.transport.mock.internal;
