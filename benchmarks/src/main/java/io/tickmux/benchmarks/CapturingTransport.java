package io.tickmux.benchmarks;

import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transport with no socket: it keeps each connection's listener so a benchmark can drive the
 * manager's per-event path directly, and acknowledges everything at once.
 */
final class CapturingTransport implements TransportFactory {

    final Map<String, TransportListener> listeners = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "capturing";
    }

    @Override
    public Transport create(TransportContext context) {
        return new Transport() {
            @Override
            public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
                return capture(spec, listener);
            }

            @Override
            public void close() {}
        };
    }

    private TransportConnection capture(ConnectionSpec spec, TransportListener listener) {
        listeners.put(spec.id(), listener);
        return new TransportConnection() {
            @Override
            public void connect() {
                listener.onConnected();
            }

            @Override
            public void subscribe(Collection<String> symbols) {
                symbols.forEach(s -> listener.onAck(s, true));
            }

            @Override
            public void unsubscribe(Collection<String> symbols) {
                symbols.forEach(s -> listener.onAck(s, false));
            }

            @Override
            public void abort() {}

            @Override
            public void close() {}
        };
    }
}
