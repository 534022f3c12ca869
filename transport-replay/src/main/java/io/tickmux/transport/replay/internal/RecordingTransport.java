package io.tickmux.transport.replay.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host's recording transport: wraps another transport's connections, offers what they report
 * and every call the host makes to the {@link Recorder}, and completes the current file when the
 * last connection has been closed and has reported its last disconnect. Closing it closes the
 * connections the host left open, waits (at most the close timeout) for their last reports, stops
 * the recorder and closes the recorded transport. Thread-safe.
 */
public final class RecordingTransport implements Transport {

    private final Transport delegate;
    private final Recorder recorder;
    private final long closeTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<RecordingConnection> live = ConcurrentHashMap.newKeySet();
    private final Object closingLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int closing;

    /**
     * @param delegate the transport to record, which this one closes
     * @param recorder where entries go, which this one closes
     * @param closeTimeout the most time {@link #close()} waits for closing connections
     */
    public RecordingTransport(Transport delegate, Recorder recorder, Duration closeTimeout) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.closeTimeoutNanos = closeTimeout.toNanos();
    }

    @Override
    public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
        if (closed.get()) {
            throw new IllegalStateException(
                    "connection " + spec.id() + " not created: the recording transport is closed");
        }
        String id = spec.id();
        Life life = new Life();
        TransportConnection inner =
                delegate.create(spec, new RecordingListener(id, listener, recorder, life));
        open.incrementAndGet();
        RecordingConnection c = new RecordingConnection(id, inner, recorder, life);
        live.add(c);
        return c;
    }

    /**
     * Closes the connections the host left open, waits (at most the close timeout) for the
     * connections being closed to report their last disconnect, so it is recorded; then writes what
     * is buffered, completes the current file, stops the writer and closes the recorded transport.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            for (RecordingConnection c : live) {
                c.close();
            }
            awaitClosing();
            recorder.close();
        } finally {
            delegate.close();
        }
    }

    private void awaitClosing() {
        long deadline = System.nanoTime() + closeTimeoutNanos;
        synchronized (closingLock) {
            long left;
            while (closing > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    closingLock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A connection's life: it counts as open until it has been closed and its last {@code
     * onDisconnected} has been recorded, so the file is completed after the final entries.
     */
    private final class Life {
        private final AtomicBoolean active = new AtomicBoolean();
        private final AtomicBoolean closeRequested = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        void connecting() {
            active.set(true);
        }

        void disconnected() {
            active.set(false);
            releaseIfDone();
        }

        void closing() {
            if (closeRequested.compareAndSet(false, true)) {
                synchronized (closingLock) {
                    closing++;
                }
            }
            releaseIfDone();
        }

        private void releaseIfDone() {
            if (closeRequested.get() && !active.get() && released.compareAndSet(false, true)) {
                if (open.decrementAndGet() == 0) {
                    recorder.finishFile();
                }
                synchronized (closingLock) {
                    closing--;
                    closingLock.notifyAll();
                }
            }
        }
    }

    /** Records the manager's calls, then makes them. */
    private final class RecordingConnection implements TransportConnection {
        private final String id;
        private final TransportConnection inner;
        private final Recorder r;
        private final Life life;
        private final AtomicBoolean closed = new AtomicBoolean();

        RecordingConnection(String id, TransportConnection inner, Recorder r, Life life) {
            this.id = id;
            this.inner = inner;
            this.r = r;
            this.life = life;
        }

        private void command(Entry.CommandKind kind, Collection<String> symbols) {
            r.offer(new Entry.Command(id, r.nanoTime(), kind, List.copyOf(symbols)));
        }

        @Override
        public void connect() {
            command(Entry.CommandKind.CONNECT, List.of());
            life.connecting();
            inner.connect();
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            if (!symbols.isEmpty()) {
                command(Entry.CommandKind.SUBSCRIBE, symbols);
            }
            inner.subscribe(symbols);
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            if (!symbols.isEmpty()) {
                command(Entry.CommandKind.UNSUBSCRIBE, symbols);
            }
            inner.unsubscribe(symbols);
        }

        @Override
        public void abort() {
            command(Entry.CommandKind.ABORT, List.of());
            inner.abort();
        }

        @Override
        public void close() {
            live.remove(this);
            if (!closed.compareAndSet(false, true)) {
                inner.close();
                return;
            }
            command(Entry.CommandKind.CLOSE, List.of());
            inner.close();
            life.closing();
        }
    }

    /** Records what the transport reports, then passes it on. */
    private static final class RecordingListener implements TransportListener {
        private final String id;
        private final TransportListener host;
        private final Recorder r;
        private final Life life;

        RecordingListener(String id, TransportListener host, Recorder r, Life life) {
            this.id = id;
            this.host = host;
            this.r = r;
            this.life = life;
        }

        @Override
        public void onConnected() {
            r.offer(new Entry.Connected(id, r.nanoTime()));
            host.onConnected();
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            r.offer(new Entry.Disconnected(id, r.nanoTime(), reason, closeCode, detail));
            try {
                host.onDisconnected(reason, closeCode, detail);
            } finally {
                life.disconnected();
            }
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            r.offer(new Entry.Events(id, r.nanoTime(), List.copyOf(events)));
            host.onEvents(events);
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            r.offer(new Entry.Ack(id, r.nanoTime(), symbol, subscribed));
            host.onAck(symbol, subscribed);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            r.offer(new Entry.Rejected(id, r.nanoTime(), symbol, reason));
            host.onRejected(symbol, reason);
        }

        @Override
        public void onAckTimeout(String symbol, String detail) {
            r.offer(new Entry.AckTimeout(id, r.nanoTime(), symbol, detail));
            host.onAckTimeout(symbol, detail);
        }

        @Override
        public void onServerStatus(String status, String message) {
            r.offer(new Entry.ServerStatus(id, r.nanoTime(), status, message));
            host.onServerStatus(status, message);
        }

        @Override
        public void onError(String kind, String detail) {
            r.offer(new Entry.Error(id, r.nanoTime(), kind, detail));
            host.onError(kind, detail);
        }
    }
}
