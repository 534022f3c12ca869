package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireWriter;
import io.tickmux.wire.sink.BufferedSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 */
public final class NatsSink extends BufferedSink {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final String VERSION = Integer.toString(WireFormat.VERSION);

    /**
     * Each message names the one before it: JetStream stores it only after that one, so a message
     * lost in a dying connection can never be overtaken by a later one the client still had queued
     * (they are refused, and sent again in order). A resend of a stored message is recognised by
     * its id first and acknowledged as a duplicate.
     */
    static final String EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id";

    private final NatsSinkSettings settings;
    private final WireWriter writer = new WireWriter();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String stocksPrefix;
    private final String gapPrefix;
    private final String statusPrefix;
    private final long ackTimeoutNanos;
    private final Counter writerStalls;
    private final Counter clientErrors;
    private volatile Connection connection;
    private volatile boolean resendAll;
    private volatile boolean forcingReconnect;

    /**
     * Only the head is out, alone, until it is acknowledged: after a reconnect or a failure, one
     * message finds out whether JetStream answers before everything else is sent again (a resend of
     * thousands into a client or server that is not ready turns into a storm).
     */
    private boolean probing;

    private String lastId;
    private JetStream js;
    private ExecutorService clientThreads;

    /** A message sent and not yet acknowledged. Publishing thread only. */
    private static final class Pending {
        final String subject;
        final byte[] body;
        final String id;
        final MarketEvent event;
        final String connectionId;
        final long receivedNanos;
        final long epoch;
        String expect; // the id of the message before it; null for none
        CompletableFuture<PublishAck> ack;
        long sentAt;
        long writtenAtSend; // the client's count of messages written to the socket, at send
        long retryAt; // not sent again before this (System.nanoTime)
        int retries;

        Pending(
                String subject,
                byte[] body,
                String id,
                MarketEvent event,
                String connectionId,
                long receivedNanos,
                long epoch) {
            this.subject = subject;
            this.epoch = epoch;
            this.body = body;
            this.id = id;
            this.event = event;
            this.connectionId = connectionId;
            this.receivedNanos = receivedNanos;
        }

        NatsMessage message() {
            Headers h = new Headers();
            h.put(WireFormat.MSG_ID_HEADER, id);
            h.put(WireFormat.VERSION_HEADER, VERSION);
            if (epoch > 0) {
                h.put(WireFormat.EPOCH_HEADER, Long.toString(epoch));
            }
            if (expect != null) {
                h.put(EXPECTED_LAST_MSG_ID, expect);
            }
            return NatsMessage.builder().subject(subject).headers(h).data(body).build();
        }
    }

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
        this.stocksPrefix = settings.prefix() + ".stocks.";
        this.gapPrefix = settings.prefix() + ".gap.";
        this.statusPrefix = settings.prefix() + ".status.";
        this.ackTimeoutNanos = settings.ackTimeout().toNanos();
        this.writerStalls =
                Counter.builder("tickmux.sink.nats.writer.stalls")
                        .description(
                                "times the NATS client wrote nothing while connected and was"
                                        + " reconnected")
                        .register(context.meterRegistry());
        this.clientErrors =
                Counter.builder("tickmux.sink.nats.client.errors")
                        .description("errors and exceptions the NATS client reported")
                        .register(context.meterRegistry());
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
        clientThreads = Executors.newCachedThreadPool(named);
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
                        .executor(clientThreads)
                        .connectThreadFactory(named)
                        .callbackThreadFactory(named)
                        .connectionListener(this::connectionEvent)
                        .errorListener(new ClientErrors());
        if (!settings.token().isEmpty()) {
            ob.token(settings.token().toCharArray());
        }
        try {
            connection = Nats.connect(ob.build());
        } catch (IOException e) {
            clientThreads.shutdownNow();
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
        try {
            ensureStream(connection.jetStreamManagement());
            js = connection.jetStream();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            connection.close();
            clientThreads.shutdownNow();
            throw e;
        }
    }

    private void ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamConfiguration want =
                StreamConfiguration.builder()
                        .name(settings.stream())
                        .subjects(settings.prefix() + ".>")
                        .storageType(
                                settings.storage() == NatsSinkSettings.Storage.FILE
                                        ? StorageType.File
                                        : StorageType.Memory)
                        .retentionPolicy(RetentionPolicy.Limits)
                        .discardPolicy(DiscardPolicy.Old)
                        .maxAge(settings.maxAge())
                        .maxMessages(settings.maxMessages())
                        .maxBytes(settings.maxBytes())
                        .duplicateWindow(settings.duplicateWindow())
                        .replicas(settings.replicas())
                        .build();
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(settings.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            if (settings.streamMode() == NatsSinkSettings.StreamMode.CHECK) {
                throw new TickmuxConfigException(
                        List.of(
                                NatsSinkSettings.PATH
                                        + ".stream.mode = check, but stream '"
                                        + settings.stream()
                                        + "' does not exist: create it (subjects "
                                        + settings.prefix()
                                        + ".>) or set mode = create"));
            }
            jsm.addStream(want);
            LOG.info(
                    "sink nats: created stream {} on {}.> ({}, max-age {}, duplicate window {})",
                    settings.stream(),
                    settings.prefix(),
                    settings.storage(),
                    settings.maxAge(),
                    settings.duplicateWindow());
            return;
        } catch (IOException e) {
            throw new IOException(
                    "sink nats: JetStream did not answer at "
                            + settings.urls()
                            + " ("
                            + e.getMessage()
                            + "): is the server started with JetStream enabled (-js)?",
                    e);
        }
        StreamConfiguration have = info.getConfiguration();
        if (!have.getSubjects().contains(settings.prefix() + ".>")
                && !have.getSubjects().contains(">")) {
            throw new TickmuxConfigException(
                    List.of(
                            "stream '"
                                    + settings.stream()
                                    + "' captures "
                                    + have.getSubjects()
                                    + ", not "
                                    + settings.prefix()
                                    + ".>: point "
                                    + NatsSinkSettings.PATH
                                    + ".stream.name at another stream or fix its subjects"));
        }
        boolean differs =
                have.getMaxMsgs() != want.getMaxMsgs()
                        || have.getMaxBytes() != want.getMaxBytes()
                        || !have.getMaxAge().equals(want.getMaxAge())
                        || !have.getDuplicateWindow().equals(want.getDuplicateWindow());
        if (differs && settings.streamMode() == NatsSinkSettings.StreamMode.CREATE) {
            jsm.updateStream(
                    StreamConfiguration.builder(have)
                            .maxAge(settings.maxAge())
                            .maxMessages(settings.maxMessages())
                            .maxBytes(settings.maxBytes())
                            .duplicateWindow(settings.duplicateWindow())
                            .build());
            LOG.info("sink nats: updated the limits of stream {}", settings.stream());
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
                resendAll = true;
                forcingReconnect = false;
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
        Connection c = connection;
        return c != null && !forcingReconnect && c.getStatus() == Connection.Status.CONNECTED;
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
        enqueue(
                new Pending(
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
        enqueue(
                new Pending(
                        subject,
                        writer.status(event, epoch),
                        WireFormat.messageId(event),
                        null,
                        "",
                        0,
                        epoch));
    }

    private void enqueue(Pending p) throws InterruptedException {
        while (pending.size() >= settings.maxInFlight() && !fenced()) {
            settle();
            if (pending.size() >= settings.maxInFlight()) {
                awaitHead();
            }
        }
        p.expect = lastId;
        lastId = p.id;
        pending.addLast(p);
        inFlight.set(pending.size());
        if (!resendAll && !probing) {
            send(p);
        }
    }

    private void send(Pending p) {
        if (fenced()) {
            // The lease is gone: nothing is sent, not even a resend (dropped by the base).
            p.ack = CompletableFuture.failedFuture(new IllegalStateException("fenced"));
            return;
        }
        p.sentAt = System.nanoTime();
        p.writtenAtSend = connection.getStatistics().getOutMsgs();
        try {
            p.ack = js.publishAsync(p.message());
        } catch (RuntimeException e) {
            // Disconnected (the client queues nothing) or closing: not sent; resent after the
            // reconnect.
            p.ack = CompletableFuture.failedFuture(e);
        }
    }

    private void awaitHead() throws InterruptedException {
        Pending head = pending.peekFirst();
        if (head == null) {
            return;
        }
        if (head.ack == null) {
            if (!connected()) {
                waitForConnection();
            } else {
                long waitNanos = head.retryAt - System.nanoTime();
                if (waitNanos > 0) {
                    synchronized (this) {
                        wait(Math.max(1, waitNanos / 1_000_000L));
                    }
                }
            }
            return;
        }
        try {
            head.ack.get(1, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // settled by the caller
        }
    }

    @Override
    protected int discardUnacknowledged() {
        int n = pending.size();
        pending.clear();
        inFlight.set(0);
        resendAll = false;
        probing = false;
        lastId = null;
        return n;
    }

    @Override
    protected void settle() throws InterruptedException {
        if (fenced()) {
            return; // the base discards what is pending
        }
        if (resendAll && connected()) {
            resendAll = false;
            for (Pending q : pending) {
                if (q.ack == null || q.ack.isCompletedExceptionally() || !q.ack.isDone()) {
                    q.ack = null; // lost with the old connection, or never sent
                }
            }
            probing = !pending.isEmpty();
        }
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            if (p.ack == null) {
                if (!connected() || System.nanoTime() - p.retryAt < 0) {
                    return; // sent after the reconnect, or after its back-off
                }
                probing = true;
                send(p); // alone: the rest follows once it is acknowledged
                return;
            }
            if (!p.ack.isDone()) {
                if (System.nanoTime() - p.sentAt < ackTimeoutNanos) {
                    return;
                }
                if (connected() && writerStalled(p)) {
                    return; // a reconnect is under way; everything is resent after it
                }
                failed(p, "no acknowledgement within " + settings.ackTimeout());
                return;
            }
            if (p.ack.isCompletedExceptionally()) {
                failed(p, cause(p.ack));
                return;
            }
            pending.pollFirst();
            inFlight.set(pending.size());
            acknowledged(p.receivedNanos);
            if (probing) {
                probing = false; // JetStream answers: send the rest again, in order
                resendUnacknowledged();
            }
        }
    }

    /**
     * Whether the client wrote nothing to its socket since the head was sent while it says it is
     * connected: its writer has stopped (seen with jnats after a reconnect on a loaded machine:
     * publishes queue up, nothing reaches the server, and the client's pings would notice only
     * after two ping intervals). The connection is then reconnected at once.
     */
    private boolean writerStalled(Pending head) {
        Connection c = connection;
        if (c.getStatistics().getOutMsgs() != head.writtenAtSend) {
            return false;
        }
        writerStalls.increment();
        LOG.warn(
                "sink nats: the NATS client wrote nothing to {} for {} while connected ({}"
                        + " messages waiting); forcing a reconnect, then everything"
                        + " unacknowledged is sent again",
                c.getConnectedUrl(),
                settings.ackTimeout(),
                pending.size());
        error("the NATS client stopped writing; reconnecting");
        resendAll = true;
        forcingReconnect = true;
        clientThreads.execute(
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
        return true;
    }

    /**
     * The client's own errors, counted and logged (they are otherwise silent): at most one line per
     * 10 s, saying how many were folded into it, so a NATS outage (a refused connect every {@code
     * reconnect-wait}) does not flood the log.
     */
    private final class ClientErrors implements ErrorListener {
        private static final long EVERY_NANOS = 10_000_000_000L;
        private long lastLogged = System.nanoTime() - EVERY_NANOS;
        private long folded;

        private synchronized void report(String what) {
            clientErrors.increment();
            long now = System.nanoTime();
            if (now - lastLogged < EVERY_NANOS) {
                folded++;
                LOG.debug("sink nats: {}", what);
                return;
            }
            LOG.warn(
                    "sink nats: {}{}",
                    what,
                    folded == 0 ? "" : " (" + folded + " more client errors in the last 10 s)");
            lastLogged = now;
            folded = 0;
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            report("the NATS server reported: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            report("the NATS client handled an exception: " + exp);
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            report(
                    "acknowledgements arrive faster than the client handles them (slow consumer);"
                            + " lower max-in-flight");
        }
    }

    private void failed(Pending p, String why) {
        error(why);
        LOG.debug(
                "sink nats: {} (id {}) not acknowledged: {}; retry {}, connected {}, {} pending",
                p.subject,
                p.id,
                why,
                p.retries,
                connected(),
                pending.size());
        if (!connected()) {
            // Everything unacknowledged is sent again after the reconnect, in order; not counted
            // as a retry.
            resendAll = true;
            return;
        }
        p.retries++;
        if (p.retries > settings.maxRetries()) {
            pending.pollFirst();
            inFlight.set(pending.size());
            // The next message now follows the one before the lost one, and goes out alone.
            Pending next = pending.peekFirst();
            if (next != null) {
                next.expect = p.expect;
                next.ack = null;
                next.retryAt = System.nanoTime();
            } else {
                lastId = p.expect;
            }
            if (p.event != null) {
                lost(p.event, p.connectionId, "publish failed: " + why);
            }
            LOG.warn(
                    "sink nats: gave up {} after {} retries: {}",
                    p.subject,
                    settings.maxRetries(),
                    why);
            return;
        }
        // Sent again alone after a back-off (10 ms, doubling, at most the ack timeout); the ones
        // behind it follow once it is acknowledged (those JetStream refused because they name it as
        // their predecessor, and repeats of stored ones are removed by the duplicate window).
        p.ack = null;
        p.retryAt =
                System.nanoTime()
                        + Math.min(ackTimeoutNanos, 10_000_000L << Math.min(p.retries - 1, 20));
    }

    private void resendUnacknowledged() {
        for (Pending q : pending) {
            if (q.ack == null || q.ack.isCompletedExceptionally()) {
                send(q);
            }
        }
    }

    private static String cause(CompletableFuture<PublishAck> f) {
        try {
            f.join();
            return "unknown";
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return c.getClass().getSimpleName() + ": " + c.getMessage();
        }
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try {
            while (!pending.isEmpty()
                    && System.nanoTime() < deadlineNanos
                    && connected()
                    && !fenced()) {
                settle();
                if (!pending.isEmpty()) {
                    awaitHead();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            LOG.warn(
                    "sink nats: closing with {} messages unacknowledged (they may have been"
                            + " stored)",
                    pending.size());
        }
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (clientThreads != null) {
            clientThreads.shutdownNow();
        }
    }

    @Override
    protected int inFlight() {
        return inFlight.get();
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

    /**
     * @return the maximum time to wait for an acknowledgement
     */
    Duration ackTimeout() {
        return settings.ackTimeout();
    }
}
