package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's jnats connection: its options (reconnecting forever, every {@code reconnect-wait};
 * nothing queued inside the client while disconnected), its threads ({@code
 * tickmux-sink-nats-client-<n>}, owned here and stopped by {@link #close()}), JetStream, and the
 * reconnect forced when the client's writer stalls ({@code tickmux.sink.nats.writer.stalls}).
 */
final class NatsClient implements PublishPipeline.Link {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);

    private final NatsSinkSettings settings;
    private final ClientErrors errors;
    private final Counter writerStalls;
    private volatile Connection connection;
    private volatile boolean forcingReconnect;
    private JetStream js;
    private ExecutorService threads;

    /**
     * @param settings the sink's settings
     * @param registry where the client's meters are registered
     */
    NatsClient(NatsSinkSettings settings, MeterRegistry registry) {
        this.settings = requireNonNull(settings, "settings is null");
        this.writerStalls =
                Counter.builder("tickmux.sink.nats.writer.stalls")
                        .description(
                                "times the NATS client wrote nothing while connected and was"
                                        + " reconnected")
                        .register(registry);
        this.errors = new ClientErrors(registry, System::nanoTime);
    }

    /**
     * Connects, on the caller's thread.
     *
     * @param listener told of disconnects, reconnects and the close
     * @throws IOException when no server answers, saying what to fix
     * @throws InterruptedException when interrupted
     */
    void connect(ConnectionListener listener) throws IOException, InterruptedException {
        ThreadFactory named =
                new ThreadFactory() {
                    private final AtomicInteger n = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, "tickmux-sink-nats-client-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }
                };
        threads = Executors.newCachedThreadPool(named);
        Options.Builder ob =
                new Options.Builder()
                        .servers(settings.urls().toArray(new String[0]))
                        .connectionName(settings.connectionName())
                        .connectionTimeout(settings.connectTimeout())
                        .maxReconnects(-1)
                        .reconnectWait(settings.reconnectWait())
                        .pingInterval(settings.pingInterval())
                        // Nothing is queued inside the client while disconnected: the sink's own
                        // bounded buffer holds it, so its overflow becomes gaps and its order
                        // holds.
                        .reconnectBufferSize(0)
                        .executor(threads)
                        .connectThreadFactory(named)
                        .callbackThreadFactory(named)
                        .connectionListener(listener)
                        .errorListener(errors);
        if (!settings.token().isEmpty()) {
            ob.token(settings.token().toCharArray());
        }
        try {
            connection = Nats.connect(ob.build());
        } catch (IOException e) {
            threads.shutdownNow();
            throw new IOException(
                    "sink nats: cannot reach NATS at "
                            + settings.urls()
                            + " ("
                            + e.getMessage()
                            + "): start a nats-server with JetStream (-js) there, or set "
                            + NatsSinkSettings.PATH
                            + ".url",
                    e);
        }
    }

    /**
     * @return the stream management of the connection
     * @throws IOException when JetStream is not available
     */
    JetStreamManagement management() throws IOException {
        return connection.jetStreamManagement();
    }

    /**
     * Makes the JetStream context messages are published through.
     *
     * @throws IOException when JetStream is not available
     */
    void openJetStream() throws IOException {
        js = connection.jetStream();
    }

    /**
     * @return whether {@link #connect} succeeded
     */
    boolean opened() {
        return connection != null;
    }

    @Override
    public boolean connected() {
        Connection c = connection;
        return c != null && !forcingReconnect && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The client reconnected: a forced reconnect, if one was under way, is over. */
    void reconnected() {
        forcingReconnect = false;
    }

    @Override
    public long written() {
        return connection.getStatistics().getOutMsgs();
    }

    @Override
    public CompletableFuture<PublishAck> publish(NatsMessage message) {
        return js.publishAsync(message);
    }

    @Override
    public void forceReconnect(int waiting) {
        Connection c = connection;
        writerStalls.increment();
        LOG.warn(
                "sink nats: the NATS client wrote nothing to {} for {} while connected ({}"
                        + " messages waiting); forcing a reconnect, then everything"
                        + " unacknowledged is sent again",
                c.getConnectedUrl(),
                settings.ackTimeout(),
                waiting);
        forcingReconnect = true;
        threads.execute(
                () -> {
                    try {
                        c.forceReconnect();
                    } catch (IOException | RuntimeException e) {
                        forcingReconnect = false;
                        LOG.warn("sink nats: the forced reconnect failed: {}", e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    /**
     * Closes the connection, then stops the client's threads.
     *
     * @throws InterruptedException when interrupted while closing
     */
    void close() throws InterruptedException {
        try {
            Connection c = connection;
            if (c != null) {
                c.close();
            }
        } finally {
            if (threads != null) {
                threads.shutdownNow();
            }
        }
    }
}
