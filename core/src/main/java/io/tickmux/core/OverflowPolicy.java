package io.tickmux.core;

/** What the queued dispatcher does when its queue is full. Every dropped event is counted. */
public enum OverflowPolicy {
    /** The read thread waits for room: nothing is lost, the socket backs up instead. */
    BLOCK,
    /** The oldest queued event is dropped to make room for the new one. */
    DROP_OLDEST,
    /** The new event is dropped. */
    DROP_NEWEST,
    /**
     * Only the latest event per ticker and kind is kept while the listener is behind; a replaced
     * event counts as dropped. Suits consumers that want the current state, not every print.
     */
    CONFLATE
}
