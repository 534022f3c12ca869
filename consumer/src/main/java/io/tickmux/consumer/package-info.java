/**
 * The consumer: reads the feed a gateway publishes (NATS JetStream or Redis Streams) on another
 * host and hands it to the same listener API as the in-process manager, with a checkpoint to resume
 * from. Depends on the wire format, core's API and event packages, jnats, Lettuce and slf4j.
 */
package io.tickmux.consumer;
