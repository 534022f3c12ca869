package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed a tickmux gateway publishes, read on another host through the same listener API as the
 * in-process manager:
 *
 * <pre>{@code
 * try (TickmuxConsumer c = TickmuxConsumer.builder(JetStreamSource.of("nats://bus:4222", "recorder"))
 *         .tickListener(event -> record(event))
 *         .statusListener(status -> alert(status))          // gaps, state changes, moves
 *         .build()) {
 *     c.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Guarantees: every message the stream holds for the wanted tickers is delivered, in stream
 * order (so per-ticker order is the gateway's), on one thread ({@code tickmux-consumer-<durable>}).
 * A message is acknowledged after the listeners returned; a restart resumes after the last
 * acknowledged message, or after the {@link Checkpoint}'s position when that is later, so nothing
 * is lost and, with a checkpoint stored with the listener's effect, nothing comes twice. A
 * redelivery of a message already handled is dropped. An exception from a listener is counted and
 * logged; the message is still acknowledged (a poison message never blocks the feed).
 */
public final class TickmuxConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);

    private final JetStreamSource source;
    private final TickListener ticks;
    private final StatusListener status;
    private final Checkpoint checkpoint;
    private final WireReader reader = new WireReader();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong staleEpoch = new AtomicLong();
    private volatile long epoch;
    private long staleLoggedAt;
    private long staleSinceLog;
    private final Set<String> wantedTokens;
    private volatile long position;
    private volatile boolean running;
    private Connection connection;
    private IterableConsumer iterator;
    private Thread thread;

    private TickmuxConsumer(Builder b) {
        this.source = b.source;
        this.ticks = b.ticks;
        this.status = b.status;
        this.checkpoint = b.checkpoint;
        Set<String> t = new HashSet<>();
        for (String s : source.tickers()) {
            t.add(s);
        }
        this.wantedTokens = t;
    }

    /**
     * @param source where to read
     * @return a builder
     */
    public static Builder builder(JetStreamSource source) {
        return new Builder(source);
    }

    /**
     * Connects, creates or updates the durable consumer, and starts delivering.
     *
     * @throws IOException when NATS is not reachable (the message says where and what to do)
     * @throws JetStreamApiException when the stream does not exist
     */
    public synchronized void start()
            throws IOException, JetStreamApiException, InterruptedException {
        if (running) {
            return;
        }
        try {
            connection =
                    Nats.connect(
                            new Options.Builder()
                                    .servers(source.url().split("\\s*,\\s*"))
                                    .connectionName("tickmux-consumer-" + source.durable())
                                    .maxReconnects(-1)
                                    .build());
        } catch (IOException e) {
            throw new IOException(
                    "consumer: cannot reach NATS at "
                            + source.url()
                            + " ("
                            + e.getMessage()
                            + "): is the gateway's bus running there?",
                    e);
        }
        long resume;
        try {
            resume = resumePosition(connection.jetStreamManagement());
        } catch (IOException | JetStreamApiException e) {
            connection.close();
            throw e;
        }
        ConsumerConfiguration.Builder cb =
                ConsumerConfiguration.builder()
                        .durable(source.durable())
                        .ackPolicy(AckPolicy.Explicit)
                        .ackWait(source.ackWait())
                        .maxAckPending(Math.max(1000, source.batch() * 4L));
        if (resume > 0) {
            cb.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(resume + 1);
        } else {
            cb.deliverPolicy(DeliverPolicy.All);
        }
        List<String> filters = filters();
        boolean multi = connection.getServerInfo().isSameOrNewerThanVersion("2.10.0");
        if (filters.size() == 1 || multi) {
            cb.filterSubjects(filters);
        } else {
            // Servers before 2.10 take one filter: read everything, keep the wanted tickers here.
            cb.filterSubject(source.prefix() + ".>");
        }
        try {
            connection.jetStreamManagement().addOrUpdateConsumer(source.stream(), cb.build());
            iterator =
                    connection
                            .getStreamContext(source.stream())
                            .getConsumerContext(source.durable())
                            .iterate(ConsumeOptions.builder().batchSize(source.batch()).build());
        } catch (IOException | JetStreamApiException e) {
            connection.close();
            throw e;
        }
        position = resume;
        running = true;
        thread = new Thread(this::loop, "tickmux-consumer-" + source.durable());
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "consumer {} reading stream {} ({}) from {} after position {}",
                source.durable(),
                source.stream(),
                filters,
                source.url(),
                position);
    }

    /**
     * Where to resume: the checkpoint when the application keeps one, else the durable consumer's
     * acknowledgement floor. The durable consumer is then made again from there, so delivery
     * restarts strictly in stream order: messages a killed process had fetched and not acknowledged
     * are not redelivered later, behind newer ones, and do not hold the consumer's ack-pending
     * budget until their ack wait runs out.
     */
    private long resumePosition(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        long floor = 0;
        try {
            floor =
                    jsm.getConsumerInfo(source.stream(), source.durable())
                            .getAckFloor()
                            .getStreamSequence();
            jsm.deleteConsumer(source.stream(), source.durable());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
        }
        long cp = checkpoint.load();
        return cp > 0 || checkpoint.keepsState() ? cp : floor;
    }

    private static final int CONSUMER_NOT_FOUND = 10014;

    private List<String> filters() {
        if (source.tickers().isEmpty()) {
            return List.of(source.prefix() + ".>");
        }
        List<String> out = new ArrayList<>();
        for (String t : source.tickers()) {
            out.add(source.prefix() + ".stocks.*." + WireFormat.token(t));
            out.add(source.prefix() + ".gap." + WireFormat.token(t));
        }
        out.add(source.prefix() + ".status.>");
        return out;
    }

    private void loop() {
        while (running) {
            Message m;
            try {
                m = iterator.nextMessage(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                errors.incrementAndGet();
                LOG.warn(
                        "consumer {}: reading failed; retrying: {}",
                        source.durable(),
                        e.toString());
                continue;
            }
            if (m == null || !m.isJetStream()) {
                continue;
            }
            handle(m);
        }
    }

    private void handle(Message m) {
        long seq = m.metaData().streamSequence();
        if (seq <= position) {
            skipped.incrementAndGet(); // handled before (a redelivery, or before the checkpoint)
            m.ack();
            return;
        }
        WireMessage w;
        try {
            w = reader.read(m.getData());
        } catch (WireReader.WireFormatException e) {
            errors.incrementAndGet();
            LOG.warn(
                    "consumer {}: skipped message {} on {}: {}",
                    source.durable(),
                    seq,
                    m.getSubject(),
                    e.getMessage());
            position = seq;
            store(seq);
            m.ack();
            return;
        }
        position = seq;
        if (fencedOff(w.epoch(), seq, m.getSubject())) {
            store(seq);
            m.ack();
            return;
        }
        try {
            if (w instanceof WireMessage.Market mk) {
                if (wantedTokens.isEmpty() || wantedTokens.contains(mk.event().symbol())) {
                    ticks.onTick(mk.event());
                    delivered.incrementAndGet();
                }
            } else {
                StatusEvent e = ((WireMessage.Status) w).event();
                if (wantedTokens.isEmpty()
                        || !(e instanceof StatusEvent.Gap g)
                        || wantedTokens.contains(g.symbol())) {
                    status.onStatus(e);
                    delivered.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            LOG.warn(
                    "consumer {}: a listener threw on message {}; continuing",
                    source.durable(),
                    seq,
                    e);
        }
        store(seq);
        m.ack();
    }

    /**
     * Fencing on the reading side: once a message of a gateway's lease epoch was seen, messages of
     * an older epoch (a gateway that lost its lease, stored late) are dropped, counted and logged
     * at most every 10 s. Messages without an epoch (no gateway pair) are never dropped.
     *
     * @return true when the message is dropped
     */
    private boolean fencedOff(long e, long seq, String subject) {
        if (e <= 0) {
            return false;
        }
        if (e > epoch) {
            if (epoch > 0) {
                LOG.info(
                        "consumer {}: gateway lease epoch {} -> {} at message {}",
                        source.durable(),
                        epoch,
                        e,
                        seq);
            }
            epoch = e;
            return false;
        }
        if (e == epoch) {
            return false;
        }
        staleEpoch.incrementAndGet();
        staleSinceLog++;
        long now = System.nanoTime();
        if (staleLoggedAt == 0 || now - staleLoggedAt > 10_000_000_000L) {
            LOG.warn(
                    "consumer {}: dropped {} message(s) of an older gateway epoch (latest {} on {},"
                            + " epoch {}): a gateway that lost its lease; the switchover gap covers"
                            + " them",
                    source.durable(),
                    staleSinceLog,
                    subject,
                    e,
                    epoch);
            staleLoggedAt = now;
            staleSinceLog = 0;
        }
        return true;
    }

    /**
     * @return messages dropped because they came from an older gateway lease epoch than one seen
     *     before (fencing)
     */
    public long staleEpochDropped() {
        return staleEpoch.get();
    }

    /**
     * @return the newest gateway lease epoch seen; 0 before any (or without a gateway pair)
     */
    public long epoch() {
        return epoch;
    }

    /**
     * Stores the position; a checkpoint that fails is counted and logged, and delivery goes on (a
     * restart then resumes from the checkpoint's last stored position, so nothing is lost).
     */
    private void store(long seq) {
        try {
            checkpoint.store(seq);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            LOG.warn(
                    "consumer {}: the checkpoint failed at position {}; continuing (a restart"
                            + " resumes from its last stored position): {}",
                    source.durable(),
                    seq,
                    e.getMessage());
        }
    }

    /**
     * The stream position of the message being delivered (inside a listener) or of the last one
     * handled: what an application stores with its own effect for exactly-once.
     *
     * @return the stream sequence; 0 before the first
     */
    public long position() {
        return position;
    }

    /**
     * @return events and status events handed to the listeners
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * @return messages dropped as already handled (redeliveries, before the checkpoint)
     */
    public long skipped() {
        return skipped.get();
    }

    /**
     * @return unreadable messages, listener exceptions and read failures
     */
    public long errors() {
        return errors.get();
    }

    /** Stops delivering and disconnects; the durable consumer keeps its position. Idempotent. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (iterator != null) {
            iterator.stop();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a {@link TickmuxConsumer}. */
    public static final class Builder {
        private final JetStreamSource source;
        private TickListener ticks = e -> {};
        private StatusListener status = e -> {};
        private Checkpoint checkpoint = Checkpoint.none();

        private Builder(JetStreamSource source) {
            this.source = requireNonNull(source, "source is null");
        }

        /**
         * @param listener receives market events, on the delivery thread
         * @return this
         */
        public Builder tickListener(TickListener listener) {
            this.ticks = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param listener receives gaps and other status events, on the delivery thread
         * @return this
         */
        public Builder statusListener(StatusListener listener) {
            this.status = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param checkpoint where the consumer resumes after a restart
         * @return this
         */
        public Builder checkpoint(Checkpoint checkpoint) {
            this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
            return this;
        }

        /**
         * @return the consumer, not started
         */
        public TickmuxConsumer build() {
            return new TickmuxConsumer(this);
        }
    }
}
