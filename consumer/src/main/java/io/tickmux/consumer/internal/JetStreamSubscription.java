package io.tickmux.consumer.internal;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.tickmux.consumer.JetStreamSource;
import io.tickmux.wire.WireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JetStream consumer's connection and subscription: connects to NATS, makes the durable consumer
 * again from where to resume, and fetches its messages. What is made is closed again when a step
 * fails, so a failed start leaves no connection behind.
 *
 * <p>The durable consumer is deleted and made again from the resume position at every start, so
 * delivery restarts strictly in stream order: messages a killed process had fetched and not
 * acknowledged are not redelivered later, behind newer ones, and do not hold the consumer's
 * ack-pending budget until their ack wait runs out.
 *
 * <p>{@link #next} is called on the delivery thread; {@link #close} after that thread ended.
 */
public final class JetStreamSubscription implements AutoCloseable {

    private static final int CONSUMER_NOT_FOUND = 10014;

    private final Connection connection;
    private final IterableConsumer iterator;
    private final long resumeAfter;
    private final List<String> filters;

    private JetStreamSubscription(
            Connection connection,
            IterableConsumer iterator,
            long resumeAfter,
            List<String> filters) {
        this.connection = connection;
        this.iterator = iterator;
        this.resumeAfter = resumeAfter;
        this.filters = filters;
    }

    /**
     * Connects, makes the durable consumer from where to resume, and starts fetching.
     *
     * @param source where to read
     * @param position says where to resume from the durable consumer's acknowledgement floor
     * @return the subscription, fetching
     * @throws IOException when NATS is not reachable (the message says where and what to do)
     * @throws JetStreamApiException when the stream does not exist
     * @throws InterruptedException when interrupted while closing after a failure
     */
    public static JetStreamSubscription open(JetStreamSource source, StreamPosition position)
            throws IOException, JetStreamApiException, InterruptedException {
        Connection connection = connect(source);
        long resume;
        try {
            resume = resumePosition(source, connection.jetStreamManagement(), position);
        } catch (IOException | JetStreamApiException e) {
            connection.close();
            throw e;
        }
        List<String> filters = filters(source);
        boolean multi = connection.getServerInfo().isSameOrNewerThanVersion("2.10.0");
        IterableConsumer iterator;
        try {
            connection
                    .jetStreamManagement()
                    .addOrUpdateConsumer(
                            source.stream(), configuration(source, resume, filters, multi));
            iterator =
                    connection
                            .getStreamContext(source.stream())
                            .getConsumerContext(source.durable())
                            .iterate(ConsumeOptions.builder().batchSize(source.batch()).build());
        } catch (IOException | JetStreamApiException e) {
            connection.close();
            throw e;
        }
        return new JetStreamSubscription(connection, iterator, resume, filters);
    }

    private static Connection connect(JetStreamSource source)
            throws IOException, InterruptedException {
        try {
            return Nats.connect(
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
    }

    /**
     * Where to resume: the checkpoint when the application keeps one, else the durable consumer's
     * acknowledgement floor. The durable consumer is deleted, to be made again from there.
     */
    private static long resumePosition(
            JetStreamSource source, JetStreamManagement jsm, StreamPosition position)
            throws IOException, JetStreamApiException {
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
        return position.resumeAfter(floor);
    }

    /**
     * The subjects read: every ticker's events and gaps under the prefix, or the wanted tickers'
     * and every status event.
     *
     * @param source where to read
     * @return the filter subjects
     */
    static List<String> filters(JetStreamSource source) {
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

    /**
     * The durable consumer: explicit acknowledgements, delivery after the resume position (or from
     * the stream's start), the filters (on a server before 2.10, which takes one filter, everything
     * under the prefix, the wanted tickers kept by the consumer).
     *
     * @param source where to read
     * @param resume the position to resume after; 0 for the stream's start
     * @param filters the subjects read
     * @param multi whether the server takes several filter subjects
     * @return the consumer's configuration
     */
    static ConsumerConfiguration configuration(
            JetStreamSource source, long resume, List<String> filters, boolean multi) {
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
        if (filters.size() == 1 || multi) {
            cb.filterSubjects(filters);
        } else {
            // Servers before 2.10 take one filter: read everything, keep the wanted tickers here.
            cb.filterSubject(source.prefix() + ".>");
        }
        return cb.build();
    }

    /**
     * @return the position delivery resumed after; 0 for the stream's start
     */
    public long resumeAfter() {
        return resumeAfter;
    }

    /**
     * @return the subjects read
     */
    public List<String> filters() {
        return filters;
    }

    /**
     * @param wait how long to wait for a message
     * @return the next message, or null when none came in time
     * @throws InterruptedException when the delivery thread is interrupted
     * @throws JetStreamStatusCheckedException when the server reports a problem with the fetch
     */
    public Message next(Duration wait)
            throws InterruptedException, JetStreamStatusCheckedException {
        return iterator.nextMessage(wait);
    }

    /** Stops fetching and disconnects; the durable consumer keeps its position. */
    @Override
    public void close() {
        iterator.stop();
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
