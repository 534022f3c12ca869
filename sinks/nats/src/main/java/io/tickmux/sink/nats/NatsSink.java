package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireWriter;
import io.tickmux.wire.sink.BufferedSink;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the feed to NATS JetStream with the official client.
 *
 * <p>Every event is one message on {@code <prefix>.stocks.<channel>.<ticker>} with a {@code
 * Nats-Msg-Id} built from the event's identity ({@link WireFormat#messageId(MarketEvent)}), so
 * JetStream's duplicate window removes a repeat, whether it is a resend after a lost
 * acknowledgement or the same event from a second gateway. Gaps go to {@code
 * <prefix>.gap.<ticker>}, other status to {@code <prefix>.status.<type>}.
 *
 * <p>Publishing is asynchronous with at most {@code max-in-flight} messages unacknowledged; they
 * are retired strictly in publish order. While NATS is away nothing is sent: the client's own
 * reconnect buffer is off, so the only buffer is the sink's (bounded, its overflow reported as
 * gaps). After a reconnect the first message not yet acknowledged is sent alone and, once it is
 * acknowledged, every other one in order, before anything new; one that fails while connected is
 * sent again alone after a back-off, {@code max-retries} times, and then reported as a gap. A
 * client that writes nothing while it claims to be connected is reconnected.
 *
 * <p>The sink wires its parts: {@code NatsClient} (the connection, its threads, the forced
 * reconnect), {@code StreamSetup} (the stream at start), {@code PublishPipeline} (what is in
 * flight: order, probe, resend, back-off, give-up) and {@code ClientErrors} (the client's errors,
 * counted and logged).
 */
public final class NatsSink extends BufferedSink {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);

    private final NatsSinkSettings settings;
    private final WireWriter writer = new WireWriter();
    private final String gapPrefix;
    private final String statusPrefix;
    private final NatsClient client;
    private final PublishPipeline pipeline;

    /**
     * @param settings the settings
     * @param context the host's context
     */
    public NatsSink(NatsSinkSettings settings, SinkContext context) {
        super(
                "nats",
                context,
                settings.bufferCapacity(),
                settings.overflow(),
                Math.min(256, settings.maxInFlight()),
                settings.closeTimeout());
        this.settings = requireNonNull(settings, "settings is null");
        this.gapPrefix = settings.prefix() + ".gap.";
        this.statusPrefix = settings.prefix() + ".status.";
        this.client = new NatsClient(settings, context.meterRegistry());
        this.pipeline =
                new PublishPipeline(
                        settings.maxInFlight(),
                        settings.ackTimeout(),
                        settings.maxRetries(),
                        client,
                        new Host(),
                        System::nanoTime);
    }

    /**
     * The subject an event is published on.
     *
     * @param prefix the subject prefix
     * @param e the event
     * @return e.g. {@code tickmux.stocks.T.AAPL}
     */
    public static String subject(String prefix, MarketEvent e) {
        return prefix + ".stocks." + e.kind().channel() + "." + WireFormat.token(e.symbol());
    }

    @Override
    protected void open() throws Exception {
        client.connect(this::connectionEvent);
        try {
            new StreamSetup(settings).ensure(client.management());
            client.openJetStream();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        switch (type) {
            case DISCONNECTED -> {
                error("disconnected from NATS");
                LOG.warn(
                        "sink nats: disconnected from {}; buffering (up to {} events) and"
                                + " reconnecting every {}",
                        settings.urls(),
                        settings.bufferCapacity(),
                        settings.reconnectWait());
            }
            case RECONNECTED -> {
                pipeline.reconnected();
                client.reconnected();
                LOG.info(
                        "sink nats: reconnected to {}; resending what was not acknowledged",
                        conn.getConnectedUrl());
                synchronized (this) {
                    notifyAll();
                }
                ring.wakeUp();
            }
            case CLOSED -> {
                synchronized (this) {
                    notifyAll();
                }
            }
            default -> {}
        }
    }

    @Override
    protected boolean connected() {
        return client.connected();
    }

    @Override
    protected void waitForConnection() throws InterruptedException {
        synchronized (this) {
            if (!connected() && !closing()) {
                wait(100);
            }
        }
    }

    @Override
    protected void publish(MarketEvent event, String connectionId, long receivedNanos)
            throws InterruptedException {
        long epoch = epoch();
        pipeline.enqueue(
                new PendingMessage(
                        subject(settings.prefix(), event),
                        writer.market(event, connectionId, receivedNanos, epoch),
                        WireFormat.messageId(event),
                        event,
                        connectionId,
                        receivedNanos,
                        epoch));
    }

    @Override
    protected void publishStatus(StatusEvent event) throws InterruptedException {
        boolean gap = event instanceof StatusEvent.Gap;
        if (!gap && !settings.publishStatus()) {
            return;
        }
        String subject =
                gap
                        ? gapPrefix + WireFormat.token(((StatusEvent.Gap) event).symbol())
                        : statusPrefix + WireWriter.statusType(event);
        long epoch = epoch();
        pipeline.enqueue(
                new PendingMessage(
                        subject,
                        writer.status(event, epoch),
                        WireFormat.messageId(event),
                        null,
                        "",
                        0,
                        epoch));
    }

    @Override
    protected int discardUnacknowledged() {
        return pipeline.discard();
    }

    @Override
    protected void settle() throws InterruptedException {
        pipeline.settle();
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        if (!client.opened()) {
            return;
        }
        pipeline.drain(deadlineNanos);
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected int inFlight() {
        return pipeline.inFlight();
    }

    @Override
    protected String destination() {
        return "NATS " + settings.urls() + " stream " + settings.stream();
    }

    /**
     * @return the settings (the token masked in their string form)
     */
    public NatsSinkSettings settings() {
        return settings;
    }

    /** The sink as the pipeline sees it: its fence, its counters and its waits. */
    private final class Host implements PublishPipeline.Host {
        @Override
        public boolean fenced() {
            return NatsSink.this.fenced();
        }

        @Override
        public void acknowledged(long receivedNanos) {
            NatsSink.this.acknowledged(receivedNanos);
        }

        @Override
        public void error(String what) {
            NatsSink.this.error(what);
        }

        @Override
        public void lost(MarketEvent event, String connectionId, String reason) {
            NatsSink.this.lost(event, connectionId, reason);
        }

        @Override
        public void waitForConnection() throws InterruptedException {
            NatsSink.this.waitForConnection();
        }

        @Override
        public void pause(long millis) throws InterruptedException {
            synchronized (NatsSink.this) {
                NatsSink.this.wait(millis);
            }
        }
    }
}
