package io.tickmux.core.internal;

import io.tickmux.spi.event.MarketEvent;

/** Calls the listener on the caller's (read) thread. */
public final class DirectDispatcher implements Dispatcher {

    private final ListenerInvoker invoker;

    /**
     * @param invoker calls the listener
     */
    public DirectDispatcher(ListenerInvoker invoker) {
        this.invoker = invoker;
    }

    @Override
    public void dispatch(MarketEvent event) {
        invoker.deliver(event);
    }

    @Override
    public int queueDepth() {
        return 0;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {}
}
