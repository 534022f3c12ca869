package io.tickmux.sink.redis;

import io.tickmux.spi.event.MarketEvent;
import java.util.List;

/** An event's (or a status event's) commands, sent and not all answered. Publishing thread only. */
final class PendingEvent {

    final MarketEvent event; // null for a status event
    final String connectionId;
    final long receivedNanos;
    final List<Command> cmds;
    int retries;

    /**
     * @param event the market event; null for a status event
     * @param connectionId its connection; empty for a status event
     * @param receivedNanos its gateway receipt, Unix ns; 0 for a status event
     * @param cmds its commands, at least one
     */
    PendingEvent(MarketEvent event, String connectionId, long receivedNanos, List<Command> cmds) {
        this.event = event;
        this.connectionId = connectionId;
        this.receivedNanos = receivedNanos;
        this.cmds = cmds;
    }
}
