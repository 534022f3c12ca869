package io.tickmux.spi.sink;

import static java.util.Objects.requireNonNull;

/**
 * A sink's state and counters at one moment.
 *
 * @param name the sink's name
 * @param state UP, DEGRADED or DOWN
 * @param detail what is wrong and what to do, in words; empty when UP
 * @param published events (and status messages) the destination acknowledged
 * @param dropped events lost for good (overflow, or publishing failed past its retries); each one
 *     is inside a reported gap
 * @param bufferDepth events waiting in the sink's buffer
 * @param bufferCapacity the buffer's bound
 * @param inFlight messages sent and not yet acknowledged
 */
public record SinkHealth(
        String name,
        State state,
        String detail,
        long published,
        long dropped,
        int bufferDepth,
        int bufferCapacity,
        int inFlight) {

    /** A sink's state. */
    public enum State {
        /** Connected and publishing. */
        UP,
        /** Publishing paused (destination unreachable) or losing events; buffering meanwhile. */
        DEGRADED,
        /** Not started, closed, or failed for good. */
        DOWN
    }

    public SinkHealth {
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        detail = detail == null ? "" : detail;
    }
}
