package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.tickmux.consumer.RedisStreamsConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis Streams consumer's delivery thread: first the entries the group had delivered to this
 * consumer and it never acknowledged (its pending entries), stream by stream; then new entries of
 * every stream, looking for new streams when a rescan is due. Each entry is handled, then
 * acknowledged ({@code XACK}). A failed read is counted and logged, and the loop reads again; when
 * Redis lost the group (a restart without persistence), the groups are made again.
 */
public final class RedisStreamsLoop extends DeliveryLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private final String name;
    private final RedisGroupSession session;
    private final GroupStreams streams;
    private final EntryHandler handler;
    private final Delivery counts;

    /**
     * @param name the consumer group, for the log
     * @param session the connection
     * @param streams the streams read
     * @param handler what becomes of each entry
     * @param counts counts failed reads as errors
     */
    public RedisStreamsLoop(
            String name,
            RedisGroupSession session,
            GroupStreams streams,
            EntryHandler handler,
            Delivery counts) {
        this.name = requireNonNull(name, "name is null");
        this.session = requireNonNull(session, "session is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.counts = requireNonNull(counts, "counts is null");
    }

    /** Delivers until {@link #stop} (seen within a read's block time). */
    @Override
    public void run() {
        boolean pendingDone = false;
        while (running()) {
            try {
                if (!pendingDone) {
                    for (String k : streams.list()) {
                        drainPending(k);
                    }
                    pendingDone = true;
                }
                if (streams.rescanDue()) {
                    streams.discover(session);
                }
                readNew();
            } catch (RedisCommandExecutionException e) {
                counts.countError();
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    // Redis lost the group (a restart without persistence): made again.
                    LOG.warn("consumer {}: {}; making the group again", name, e.getMessage());
                    streams.forget();
                    rediscover();
                } else {
                    LOG.warn("consumer {}: reading failed; retrying: {}", name, e.toString());
                }
            } catch (RuntimeException e) {
                if (!running()) {
                    return;
                }
                counts.countError();
                LOG.warn("consumer {}: reading failed; retrying: {}", name, e.toString());
            }
        }
    }

    private void rediscover() {
        try {
            streams.discover(session);
        } catch (RuntimeException e) {
            counts.countError();
        }
    }

    /** Delivers the entries the group gave this consumer before and that were not acknowledged. */
    private void drainPending(String key) {
        String after = "0";
        while (running()) {
            List<StreamMessage<String, String>> got = session.pending(key, after);
            if (got.isEmpty()) {
                return;
            }
            for (StreamMessage<String, String> m : got) {
                handle(m);
                after = m.getId();
            }
        }
    }

    private void readNew() {
        for (StreamMessage<String, String> m : session.next(streams.list())) {
            if (!running()) {
                return;
            }
            handle(m);
        }
    }

    private void handle(StreamMessage<String, String> m) {
        handler.handle(m.getStream(), m.getId(), m.getBody());
        session.ack(m.getStream(), m.getId());
    }
}
