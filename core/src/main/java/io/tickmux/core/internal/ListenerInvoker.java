package io.tickmux.core.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.TickListener;
import java.util.concurrent.atomic.LongAdder;

/** Calls the tick listener and contains whatever it throws: counted, logged at a limited rate. */
public final class ListenerInvoker {

    private final TickListener listener;
    private final RateLimitedLog log;
    private final LongAdder errors = new LongAdder();
    private final LongAdder delivered = new LongAdder();

    /**
     * @param listener the user's listener
     * @param log where its failures are logged
     */
    public ListenerInvoker(TickListener listener, RateLimitedLog log) {
        this.listener = listener;
        this.log = log;
    }

    /**
     * Delivers one event; never throws (except {@link Error}s other than linkage problems).
     *
     * @param event the event
     */
    public void deliver(MarketEvent event) {
        try {
            listener.onTick(event);
            delivered.increment();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            errors.increment();
            log.warn(
                    "tick listener threw on {} {}: the event is skipped and the connection kept;"
                            + " fix the listener",
                    e,
                    event.kind(),
                    event.symbol());
        }
    }

    /**
     * @return exceptions the listener threw since start
     */
    public long errors() {
        return errors.sum();
    }

    /**
     * @return events the listener accepted without throwing
     */
    public long delivered() {
        return delivered.sum();
    }
}
