/**
 * The consumers' implementation: for each of {@code TickmuxConsumer} (JetStream) and {@code
 * RedisStreamsConsumer} (Redis Streams) its connection and subscription, its delivery loop and what
 * becomes of one message; and what both share: {@code Delivery} (the listeners, the wanted tickers
 * and the counters) and {@code DeliveryLoop} (the delivery thread's life). Not API: only {@code
 * io.tickmux.consumer} may use it, which {@code BoundariesTest} in {@code build-checks} enforces.
 * May depend on the consumer package, the wire format, the event package, jnats, Lettuce and slf4j.
 */
package io.tickmux.consumer.internal;
