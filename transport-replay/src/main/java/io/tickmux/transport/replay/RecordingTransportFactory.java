package io.tickmux.transport.replay;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.tickmux.core.Catalogue;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.replay.internal.Entry;
import io.tickmux.transport.replay.internal.Recorder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport, named {@code recording}, that records everything another transport reports to the
 * manager (events in the chunks it handed them over, acks, refusals, server status, errors,
 * connects and disconnects) and every call the manager makes to it, with the connection's id and
 * the receive time, into compressed, rotated files. {@link ReplayTransportFactory} plays such a
 * recording through a manager. Thread-safe.
 *
 * <p>Recording never slows the feed: the transport's read thread only puts an entry into a bounded
 * buffer; a writer thread compresses and writes. A full buffer drops entries and counts them
 * ({@link #stats()}), and the file notes where.
 *
 * <pre>{@code
 * tickmux.app.transport = recording
 * tickmux.transport.recording { delegate = massive, dir = "/var/lib/tickmux/recordings" }
 * }</pre>
 *
 * <p>The current file is completed when every connection made through this factory has been closed
 * (as the manager does when it closes), and by {@link #close()}.
 */
public final class RecordingTransportFactory implements TransportFactory, AutoCloseable {

    /** The name configuration selects this transport by. */
    public static final String NAME = "recording";

    private final TransportFactory delegate;
    private final Recorder recorder;
    private final AtomicInteger open = new AtomicInteger();
    private final Object closingLock = new Object();
    private final long closeTimeoutNanos;
    private int closing;

    /**
     * Unconfigured, for ServiceLoader: the host calls {@link #configure(Config)} with the whole
     * configuration before creating connections.
     */
    public RecordingTransportFactory() {
        this.delegate = null;
        this.recorder = null;
        this.closeTimeoutNanos = 0;
    }

    /**
     * Records a transport's connections.
     *
     * @param delegate the transport to record, already configured
     * @param settings where and how to write ({@link RecorderSettings#delegate()} is not used)
     */
    public RecordingTransportFactory(TransportFactory delegate, RecorderSettings settings) {
        this(delegate, Recorder.create(settings), settings.closeTimeout());
    }

    /**
     * @param delegate the transport to record
     * @param recorder the recorder (tests give one with a stalled or failing file)
     * @param closeTimeout the most time {@link #close()} waits for closing connections
     */
    public RecordingTransportFactory(
            TransportFactory delegate, Recorder recorder, Duration closeTimeout) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.closeTimeoutNanos = closeTimeout.toNanos();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads {@code tickmux.transport.recording}, finds the {@code delegate} transport on the
     * classpath and configures it from the same configuration.
     */
    @Override
    public TransportFactory configure(Config root) {
        RecorderSettings s = RecorderSettings.from(root);
        TransportFactory d = Catalogue.load().transport(s.delegate()).configure(root);
        return new RecordingTransportFactory(d, s);
    }

    /**
     * @return the recorder's counters
     */
    public RecorderStats stats() {
        return recorder().stats();
    }

    /**
     * @return the transport being recorded
     */
    public TransportFactory delegate() {
        if (delegate == null) {
            throw unconfigured();
        }
        return delegate;
    }

    @Override
    public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
        Recorder r = recorder();
        String id = spec.id();
        Life life = new Life();
        TransportConnection inner =
                delegate.create(spec, new RecordingListener(id, listener, r, life));
        open.incrementAndGet();
        return new RecordingConnection(id, inner, r, life);
    }

    /**
     * Waits (at most {@code close-timeout}) for the connections being closed to report their last
     * disconnect, so it is recorded; then writes what is buffered, completes the current file and
     * stops the writer.
     */
    @Override
    public void close() {
        if (recorder == null) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeoutNanos;
        synchronized (closingLock) {
            long left;
            while (closing > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    closingLock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        recorder.close();
    }

    private Recorder recorder() {
        if (recorder == null) {
            throw unconfigured();
        }
        return recorder;
    }

    private static IllegalStateException unconfigured() {
        return new IllegalStateException(
                "the recording transport is not configured: use configure(root) or the"
                        + " constructor with a delegate and RecorderSettings");
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
