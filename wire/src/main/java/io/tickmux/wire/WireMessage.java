package io.tickmux.wire;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;

/** One decoded wire message: a market event with where it came from, or a status event. */
public sealed interface WireMessage {

    /**
     * @return the publishing gateway's lease epoch (the {@code epoch} field); 0 when absent
     */
    long epoch();

    /**
     * A market event.
     *
     * @param event the event, equal to the one the gateway published
     * @param connectionId the gateway's connection it arrived on
     * @param receivedNanos when the gateway received it, Unix ns
     * @param epoch the publishing gateway's lease epoch; 0 when absent
     */
    record Market(MarketEvent event, String connectionId, long receivedNanos, long epoch)
            implements WireMessage {
        public Market {
            requireNonNull(event, "event is null");
            requireNonNull(connectionId, "connectionId is null");
        }

        /** A market event without an epoch. */
        public Market(MarketEvent event, String connectionId, long receivedNanos) {
            this(event, connectionId, receivedNanos, 0);
        }
    }

    /**
     * A status event (a gap, a state change, ...).
     *
     * @param event the event
     * @param epoch the publishing gateway's lease epoch; 0 when absent
     */
    record Status(StatusEvent event, long epoch) implements WireMessage {
        public Status {
            requireNonNull(event, "event is null");
        }

        /** A status event without an epoch. */
        public Status(StatusEvent event) {
            this(event, 0);
        }
    }
}
