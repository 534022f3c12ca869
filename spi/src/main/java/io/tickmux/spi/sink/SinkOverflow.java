package io.tickmux.spi.sink;

/**
 * What a sink does with a new event when its buffer is full. A sink never blocks the read thread,
 * so every policy loses something; each lost event is counted ({@code
 * tickmux.sink.dropped{reason=overflow}}) and reported as a gap for its ticker.
 */
public enum SinkOverflow {
    /** The new event is dropped; what is buffered is published. */
    DROP_NEWEST,
    /** The oldest buffered event is dropped to make room for the new one. */
    DROP_OLDEST
}
