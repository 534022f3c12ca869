package io.tickmux.core;

import io.tickmux.spi.event.TickListener;

/** How market events reach the {@link TickListener}. */
public enum DispatchMode {
    /**
     * On the connection's read thread, inline. Lowest latency; a slow listener slows that
     * connection's socket reads (and in the end the server drops it as a slow consumer).
     */
    DIRECT,
    /**
     * Through one bounded queue drained by the {@code tickmux-dispatch} thread. Read threads never
     * wait on the listener, except under {@link OverflowPolicy#BLOCK}.
     */
    QUEUED
}
