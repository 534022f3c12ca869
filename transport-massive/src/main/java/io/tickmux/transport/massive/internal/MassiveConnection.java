package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.MassiveSettings;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the Massive feed. Each {@link #connect()} makes a new socket ({@link
 * MassiveSession}); callbacks from an old socket are ignored.
 *
 * <p>Handshake: on the upgrade the auth message is sent at once; subscriptions are accepted only
 * after {@code auth_success} (the host sends them on {@code onConnected}). Each topic's ack is
 * counted against what was asked; a ticker is reported acknowledged when all of its channels are.
 * Topics not acknowledged within the ack timeout are reported as refused.
 *
 * <p>A broken or hostile server is contained: a message larger than {@code max-frame-size} closes
 * the connection before it is read into memory (each frame as its header arrives, a fragmented
 * message frame by frame: {@link BoundedDraft}); a binary frame, a frame that is not the feed's
 * JSON (nested deeper than the factory's limit included) and a second {@code auth_success} are
 * skipped and reported as errors; an event for a ticker this socket does not hold is dropped and
 * reported, and creates no state; every text from the server reaches the host and the logs on one
 * line, control characters escaped ({@link ServerText}).
 *
 * <p>The parts, one job each: {@link MassiveSession} (one socket: its events and the protocol),
 * {@link FrameIntake} (frames from the read thread to the parser, directly or through the parsing
 * stage), {@link ControlMessages} (what is sent), {@link TopicLedger} (what was asked,
 * acknowledged, timed out; the tickers held), {@link SessionTimers} (auth timeout, pings, read
 * deadline, ack deadlines), {@link DisconnectClassifier} (why a socket ended), {@link
 * ListenerCalls} (the host's calls, one at a time).
 *
 * <p>Threading: Java-WebSocket's read thread (renamed {@code tickmux-massive-<id>}) parses frames
 * and calls the listener; with {@code parsing = stage} it hands each frame to the session's {@link
 * ParseStage} instead, whose thread ({@code tickmux-massive-parse-<id>}) parses and calls the
 * listener, in order, and reports the socket's end after the frames it was handed; the host's
 * scheduler thread pings, enforces the read deadline and the auth and ack timeouts. Listener calls
 * are serialized by the connection's {@link ListenerCalls}, so the host sees one call at a time, in
 * order; only the thread that parses ever waits for its lock, so a slow listener on one connection
 * never stalls the host's scheduler and a host closing a connection never waits for its read
 * thread.
 */
public final class MassiveConnection implements TransportConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MassiveConnection.class);

    private final ConnectionSpec spec;
    private final MassiveSettings settings;
    private final TransportListener listener;
    private final ScheduledExecutorService timer;
    private final JsonFactory json;
    private final ListenerCalls calls;
    private final Object lock = new Object();
    private MassiveSession current;
    private int sessions;
    private boolean closed;

    /**
     * @param spec the connection's id and name
     * @param settings resolved settings for this connection (with its own key and URL)
     * @param listener the host
     * @param timer the host's scheduler, for pings and timeouts
     * @param json shared Jackson factory
     * @throws IllegalStateException when the settings' URL is cleartext to a host other than
     *     loopback and {@code allow-cleartext} is off (however the settings were built)
     */
    public MassiveConnection(
            ConnectionSpec spec,
            MassiveSettings settings,
            TransportListener listener,
            ScheduledExecutorService timer,
            JsonFactory json) {
        this.spec = spec;
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
        this.json = json;
        this.calls = new ListenerCalls(spec.id());
        settings.cleartextProblem()
                .ifPresent(
                        p -> {
                            throw new IllegalStateException("connection " + spec.id() + ": " + p);
                        });
    }

    @Override
    public void connect() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("connection " + spec.id() + " is closed");
            }
            if (current != null) {
                throw new IllegalStateException(
                        "connection " + spec.id() + " is already open or connecting");
            }
            current =
                    new MassiveSession(
                            spec.id(),
                            ++sessions,
                            settings,
                            listener,
                            calls,
                            timer,
                            json,
                            this::ended);
            current.connect();
        }
    }

    @Override
    public void subscribe(Collection<String> symbols) {
        send(true, symbols);
    }

    @Override
    public void unsubscribe(Collection<String> symbols) {
        send(false, symbols);
    }

    private void send(boolean subscribe, Collection<String> symbols) {
        if (symbols.isEmpty()) {
            return;
        }
        MassiveSession s;
        synchronized (lock) {
            s = current;
        }
        if (s == null || !s.authenticated()) {
            LOG.debug(
                    "{}: {} of {} tickers not sent: not connected (the host re-sends on reconnect)",
                    spec.id(),
                    subscribe ? "subscribe" : "unsubscribe",
                    symbols.size());
            return;
        }
        s.sendTopics(subscribe, symbols);
    }

    @Override
    public void abort() {
        MassiveSession s;
        synchronized (lock) {
            s = current;
        }
        if (s != null) {
            s.endLocally(DisconnectReason.ABORT, "aborted by client");
        }
    }

    @Override
    public void close() {
        MassiveSession s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = current;
        }
        if (s != null) {
            s.endLocally(DisconnectReason.CLOSED_BY_CLIENT, "closed by client");
        }
    }

    /** A socket's end is being reported: the next {@link #connect()} may open another. */
    private void ended(MassiveSession s) {
        synchronized (lock) {
            if (current == s) {
                current = null;
            }
        }
    }
}
