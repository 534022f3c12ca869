package io.tickmux.transport.replay;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.replay.internal.Pacer;
import io.tickmux.transport.replay.internal.RecordingReader;
import io.tickmux.transport.replay.internal.ReplayPlayer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transport, named {@code replay}, that plays a recording made by {@link
 * RecordingTransportFactory} through the manager: at the recorded pace, N times faster, or as fast
 * as possible, on its own thread ({@code tickmux-replay}), starting at the first {@code connect()}.
 * The manager, its dispatch, filters, gap tracking, sinks and listeners run exactly as in
 * production; the recording stands in for the sockets and the server.
 *
 * <p>Connections are matched by id: connection {@code connection_1} of the replaying manager gets
 * what {@code connection_1} received. Events reach only tickers the manager subscribed, as a real
 * server sends; a recorded answer (connected, ack, refusal) waits for the manager to ask for it. At
 * the end each connected connection receives a server status {@code replay_end} with the summary,
 * and {@link #completion()} completes with the {@link ReplayReport}. See {@code
 * docs/operations.md}, "Record and replay".
 *
 * <pre>{@code
 * tickmux.app.transport = replay
 * tickmux.transport.replay { path = "/var/lib/tickmux/recordings", speed = max }
 * }</pre>
 *
 * <p>One factory made with settings plays its recording once; closing its transport (the manager
 * does, after its connections) or the factory stops the replay.
 */
public final class ReplayTransportFactory implements TransportFactory, AutoCloseable {

    /** The name configuration selects this transport by. */
    public static final String NAME = "replay";

    /** The server status word a replay ends with. */
    public static final String END_STATUS = ReplayPlayer.END_STATUS;

    private final ReplaySettings settings;
    private final ReplayPlayer player;

    /**
     * For ServiceLoader; does no work and starts nothing. Each {@link #create} reads {@code
     * tickmux.transport.replay} and plays the recording it names.
     */
    public ReplayTransportFactory() {
        this.settings = null;
        this.player = null;
    }

    /**
     * @param settings the recording and the speed
     * @throws IllegalArgumentException when the recording does not exist or holds no files
     */
    public ReplayTransportFactory(ReplaySettings settings) {
        this(settings, Pacer.SYSTEM);
    }

    ReplayTransportFactory(ReplaySettings settings, Pacer pacer) {
        this.settings = requireNonNull(settings, "settings is null");
        this.player = player(settings, pacer);
    }

    private static ReplayPlayer player(ReplaySettings s, Pacer pacer) {
        return new ReplayPlayer(RecordingReader.files(s.path()), s.speed(), s.gateTimeout(), pacer);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Made by ServiceLoader, it reads {@code tickmux.transport.replay}.
     *
     * @throws TickmuxConfigException when the settings are invalid or the recording is missing
     */
    @Override
    public Transport create(TransportContext context) {
        if (player != null) {
            return new ReplayTransport(player);
        }
        ReplaySettings s = ReplaySettings.from(context.config());
        try {
            return new ReplayTransport(player(s, Pacer.SYSTEM));
        } catch (IllegalArgumentException e) {
            throw new TickmuxConfigException(
                    List.of(ReplaySettings.PATH + ".path: " + e.getMessage()));
        }
    }

    /**
     * @return the settings; {@code null} when made by ServiceLoader
     */
    public ReplaySettings settings() {
        return settings;
    }

    /**
     * @return completes with the report once the whole recording has been played
     */
    public CompletableFuture<ReplayReport> completion() {
        if (player == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "this replay transport factory reads its settings from each host's"
                                    + " configuration: use the constructor with ReplaySettings"
                                    + " to follow a replay"));
        }
        return player.completion();
    }

    /** Stops the replay. */
    @Override
    public void close() {
        if (player != null) {
            player.close();
        }
    }

    /**
     * A host's replay transport: the player's connections. Closing it stops the replay at once: a
     * recording has no socket to close, and its connections get no more calls, a close report
     * included.
     */
    private static final class ReplayTransport implements Transport {
        private final ReplayPlayer player;
        private volatile boolean closed;

        ReplayTransport(ReplayPlayer player) {
            this.player = player;
        }

        @Override
        public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
            if (closed) {
                throw new IllegalStateException(
                        "connection " + spec.id() + " not created: the replay transport is closed");
            }
            return player.connection(spec.id(), listener);
        }

        @Override
        public void close() {
            closed = true;
            player.close();
        }
    }
}
