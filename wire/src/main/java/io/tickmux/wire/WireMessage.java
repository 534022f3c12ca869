package io.tickmux.wire;

import static java.util.Objects.requireNonNull;

import io.tickmux.core.event.MarketEvent;
import io.tickmux.core.event.StatusEvent;

/** One decoded wire message: a market event with where it came from, or a status event. */
public sealed interface WireMessage {

    /**
     * A market event.
     *
     * @param event the event, equal to the one the gateway published
     * @param connectionId the gateway's connection it arrived on
     * @param receivedNanos when the gateway received it, Unix ns
     */
    record Market(MarketEvent event, String connectionId, long receivedNanos)
            implements WireMessage {
        public Market {
            requireNonNull(event, "event is null");
            requireNonNull(connectionId, "connectionId is null");
        }
    }

    /**
     * A status event (a gap, a state change, ...).
     *
     * @param event the event
     */
    record Status(StatusEvent event) implements WireMessage {
        public Status {
            requireNonNull(event, "event is null");
        }
    }
}
