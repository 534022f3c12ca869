package io.tickmux.ha.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.sink.Fence;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured transport under the lease: a connection opens only while the fence is valid,
 * events that arrive after it stopped being valid are dropped (a gateway woken from a freeze
 * delivers nothing stale, not even to its in-process listener), every connection can be aborted at
 * once, and each ticker's first subscription acknowledgement is reported (the end of its switchover
 * gap).
 */
public final class FencedTransport implements TransportFactory {

    private static final Logger LOG = LoggerFactory.getLogger(FencedTransport.class);

    /** Told of each acknowledged subscription. Called on a read thread: must not block. */
    public interface AckObserver {
        /**
         * @param connectionId the connection
         * @param symbol the ticker acknowledged
         */
        void acknowledged(String connectionId, String symbol);
    }

    private final TransportFactory delegate;
    private final Set<Fenced> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong refusedConnects = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private volatile Fence fence;
    private volatile AckObserver observer = (c, s) -> {};

    /**
     * @param delegate the configured transport's factory
     * @param fence the fence; invalid until the lease is held
     */
    public FencedTransport(TransportFactory delegate, Fence fence) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    /** A fence that is never valid: the state of a standby. */
    public static final Fence CLOSED =
            new Fence() {
                @Override
                public long epoch() {
                    return 0;
                }

                @Override
                public boolean valid() {
                    return false;
                }
            };

    /**
     * @param fence the lease's fence, set before the application starts
     * @param observer told of each acknowledged subscription
     */
    public void arm(Fence fence, AckObserver observer) {
        this.observer = requireNonNull(observer, "observer is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The configured transport, made with the same context, under this fence; closing it closes
     * the configured one.
     */
    @Override
    public Transport create(TransportContext context) {
        Transport inner = delegate.create(context);
        return new Transport() {
            @Override
            public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
                Fenced f = new Fenced(spec.id(), listener);
                f.inner = inner.create(spec, f);
                return f;
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /**
     * Aborts every open connection now, on the caller's thread: the lease is lost.
     *
     * @return how many were aborted
     */
    public int abortAll() {
        int n = 0;
        for (Fenced f : live) {
            try {
                f.inner.abort();
            } catch (RuntimeException e) {
                LOG.warn("gateway ha: aborting {} failed: {}", f.id, e.toString());
            }
            n++;
        }
        live.clear();
        return n;
    }

    /**
     * @return connections not opened because the lease was not valid
     */
    public long refusedConnects() {
        return refusedConnects.get();
    }

    /**
     * @return events dropped because they arrived after the lease stopped being valid
     */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** A connection and its listener, fenced. */
    private final class Fenced implements TransportConnection, TransportListener {
        final String id;
        final TransportListener listener;
        TransportConnection inner;

        Fenced(String id, TransportListener listener) {
            this.id = id;
            this.listener = listener;
        }

        @Override
        public void connect() {
            if (!fence.valid()) {
                refusedConnects.incrementAndGet();
                LOG.warn(
                        "gateway ha: {} not connected: this gateway does not hold the lease ({})",
                        id,
                        fence);
                // Nothing is reported back: the manager that asked is being closed (a lost lease)
                // or not started (a standby), and a callback from inside connect() could re-enter
                // it.
                return;
            }
            live.add(this);
            inner.connect();
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            inner.subscribe(symbols);
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            inner.unsubscribe(symbols);
        }

        @Override
        public void abort() {
            live.remove(this);
            inner.abort();
        }

        @Override
        public void close() {
            live.remove(this);
            inner.close();
        }

        @Override
        public void onConnected() {
            listener.onConnected();
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            listener.onDisconnected(reason, closeCode, detail);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            if (!fence.valid()) {
                droppedEvents.addAndGet(events.size());
                return;
            }
            listener.onEvents(events);
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            if (subscribed && fence.valid()) {
                try {
                    observer.acknowledged(id, symbol);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "gateway ha: the switchover gap of {} failed: {}",
                            symbol,
                            e.toString());
                }
            }
            listener.onAck(symbol, subscribed);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            listener.onRejected(symbol, reason);
        }

        @Override
        public void onAckTimeout(String symbol, String detail) {
            listener.onAckTimeout(symbol, detail);
        }

        @Override
        public void onServerStatus(String status, String message) {
            listener.onServerStatus(status, message);
        }

        @Override
        public void onError(String kind, String detail) {
            listener.onError(kind, detail);
        }
    }
}
