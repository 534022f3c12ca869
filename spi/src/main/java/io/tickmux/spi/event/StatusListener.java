package io.tickmux.spi.event;

/**
 * Receives status events: connection state changes, server messages, refusals, moves and gaps.
 *
 * <p>Called on the manager's single status thread ({@code tickmux-status}), in the order the events
 * happened, never while the manager holds a lock, so it may call back into the manager. An
 * exception it throws is counted and logged.
 */
@FunctionalInterface
public interface StatusListener {

    /**
     * One status event.
     *
     * @param event the event; never {@code null}
     */
    void onStatus(StatusEvent event);
}
