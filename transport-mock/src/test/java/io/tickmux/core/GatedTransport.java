package io.tickmux.core;

import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockTransport;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mock transport with one connection's connects, or its subscription messages, held back while
 * a test says so: the connection stays connecting, or its messages wait in order, until the test
 * lets them through.
 */
final class GatedTransport implements TransportFactory {

    final MockTransport mock = new MockTransport();
    private final String id;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private volatile boolean holdConnects;
    private volatile boolean holdMessages;

    GatedTransport(String id) {
        this.id = id;
    }

    void holdConnects() {
        holdConnects = true;
    }

    void holdMessages() {
        holdMessages = true;
    }

    int held() {
        return held.size();
    }

    /** Lets the oldest held action through. */
    void releaseOne() {
        held.remove(0).run();
    }

    /** Stops holding and lets every held action through, in order. */
    void releaseAll() {
        holdConnects = false;
        holdMessages = false;
        while (!held.isEmpty()) {
            releaseOne();
        }
    }

    @Override
    public String name() {
        return mock.name();
    }

    @Override
    public Transport create(TransportContext context) {
        Transport inner = mock.create(context);
        return new Transport() {
            @Override
            public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
                TransportConnection c = inner.create(spec, listener);
                return spec.id().equals(id) ? new Gate(c) : c;
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** A connection whose connects and messages wait while they are held. */
    private final class Gate implements TransportConnection {
        private final TransportConnection delegate;

        Gate(TransportConnection delegate) {
            this.delegate = delegate;
        }

        @Override
        public void connect() {
            if (holdConnects) {
                held.add(delegate::connect);
            } else {
                delegate.connect();
            }
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            List<String> copy = List.copyOf(symbols);
            if (holdMessages) {
                held.add(() -> delegate.subscribe(copy));
            } else {
                delegate.subscribe(copy);
            }
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            List<String> copy = List.copyOf(symbols);
            if (holdMessages) {
                held.add(() -> delegate.unsubscribe(copy));
            } else {
                delegate.unsubscribe(copy);
            }
        }

        @Override
        public void abort() {
            delegate.abort();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
