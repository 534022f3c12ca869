/**
 * The gateway pair's implementation: the lease in NATS KV (create, compare-and-set renew, release),
 * its record and fence, and the transport that refuses to connect without a valid lease. Not API:
 * only {@code io.tickmux.ha} may use it. May depend on core's transport and event packages, jnats
 * and slf4j.
 */
package io.tickmux.ha.internal;
