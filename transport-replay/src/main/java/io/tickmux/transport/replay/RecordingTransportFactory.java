package io.tickmux.transport.replay;

import static java.util.Objects.requireNonNull;

import io.tickmux.core.Catalogue;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.transport.replay.internal.Recorder;
import io.tickmux.transport.replay.internal.RecordingTransport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>The current file is completed when every connection of the transport has been closed, and when
 * the transport is closed (the manager closes it after its connections): that waits for the last
 * reports, completes the file, stops the writer and closes the recorded transport.
 */
public final class RecordingTransportFactory implements TransportFactory, AutoCloseable {

    /** The name configuration selects this transport by. */
    public static final String NAME = "recording";

    private final TransportFactory delegate;
    private final Recorder recorder;
    private final Duration closeTimeout;
    private final Set<RecordingTransport> made = ConcurrentHashMap.newKeySet();

    /**
     * For ServiceLoader; does no work and starts nothing. Each {@link #create} reads {@code
     * tickmux.transport.recording}, finds the {@code delegate} transport on the classpath and
     * records it into a recorder of its own.
     */
    public RecordingTransportFactory() {
        this.delegate = null;
        this.recorder = null;
        this.closeTimeout = null;
    }

    /**
     * Records a transport's connections into one recording, which starts its writer now. The
     * recording ends when a transport made from this factory is closed, or by {@link #close()}: one
     * factory makes one recording.
     *
     * @param delegate the transport to record; its transport is made with the same context
     * @param settings where and how to write ({@link RecorderSettings#delegate()} is not used)
     */
    public RecordingTransportFactory(TransportFactory delegate, RecorderSettings settings) {
        this(delegate, Recorder.create(settings), settings.closeTimeout());
    }

    /**
     * @param delegate the transport to record
     * @param recorder the recorder (tests give one with a stalled or failing file)
     * @param closeTimeout the most time closing waits for closing connections
     */
    public RecordingTransportFactory(
            TransportFactory delegate, Recorder recorder, Duration closeTimeout) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.closeTimeout = requireNonNull(closeTimeout, "closeTimeout is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Made by ServiceLoader, it reads {@code tickmux.transport.recording} and finds the {@code
     * delegate} transport on the classpath; either way the recorded transport is made with the same
     * context.
     *
     * @throws IllegalArgumentException when no transport has the delegate's name
     */
    @Override
    public Transport create(TransportContext context) {
        if (recorder == null) {
            RecorderSettings s = RecorderSettings.from(context.config());
            Transport inner = Catalogue.load().transport(s.delegate()).create(context);
            try {
                return new RecordingTransport(inner, Recorder.create(s), s.closeTimeout());
            } catch (RuntimeException e) {
                inner.close();
                throw e;
            }
        }
        RecordingTransport t =
                new RecordingTransport(delegate.create(context), recorder, closeTimeout);
        made.add(t);
        return t;
    }

    /**
     * @return the recorder's counters
     * @throws IllegalStateException when this factory was made by ServiceLoader (each of its
     *     transports has a recorder of its own)
     */
    public RecorderStats stats() {
        return recorder().stats();
    }

    /**
     * @return the transport being recorded
     * @throws IllegalStateException when this factory was made by ServiceLoader
     */
    public TransportFactory delegate() {
        if (delegate == null) {
            throw unconfigured();
        }
        return delegate;
    }

    /**
     * Closes the transports made from this factory (see {@link Transport#close()}) and then the
     * recording: writes what is buffered, completes the current file and stops the writer.
     * Idempotent.
     */
    @Override
    public void close() {
        if (recorder == null) {
            return;
        }
        for (RecordingTransport t : made) {
            t.close();
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
                "this recording transport factory reads its settings from each host's"
                        + " configuration: use the constructor with a delegate and"
                        + " RecorderSettings for a recording of your own");
    }
}
