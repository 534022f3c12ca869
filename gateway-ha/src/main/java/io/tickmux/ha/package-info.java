/**
 * Active/standby gateways: {@link io.tickmux.ha.HaGateway} runs the application under a lease in a
 * NATS JetStream key-value bucket, so that one gateway of a pair holds the account's connections
 * and the other stands by; every switchover is published as gaps. Depends on core's app, sink,
 * transport and event packages, the router SPI's config reader, jnats and slf4j; the lease and the
 * fenced transport stay in {@code internal}, and {@code HaGateway}'s parts (the lease kept, the
 * application switched, the switchover gaps, the role shown) are package-private here.
 */
package io.tickmux.ha;
