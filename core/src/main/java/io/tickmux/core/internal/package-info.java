/**
 * The manager's implementation: the control path under one lock (ledgers, ticker book, rehoming,
 * lifecycle, reconnect policy) and the lock-free per-event path (ingress, dispatchers). Not API:
 * only core's own packages may use it, which {@code BoundariesTest} in {@code build-checks}
 * enforces. May depend on core's API packages, the router SPI and kit, Micrometer and slf4j.
 */
package io.tickmux.core.internal;
