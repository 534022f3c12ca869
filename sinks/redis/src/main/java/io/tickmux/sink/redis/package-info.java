/**
 * The Redis sink ({@code tickmux.sinks = [redis]}): publishes the feed to Redis Streams in the wire
 * format and, optionally, on the original application's pub/sub channels. Depends on core's sink
 * SPI, the wire format and its buffered sink, Lettuce, Jackson and slf4j.
 */
package io.tickmux.sink.redis;
