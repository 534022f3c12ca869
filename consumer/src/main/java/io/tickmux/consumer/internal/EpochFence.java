package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.consumer.TickmuxConsumer;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing on the reading side: once a message of a gateway's lease epoch was seen, messages of an
 * older epoch (a gateway that lost its lease, stored late) are dropped, counted and logged at most
 * every 10 s. Messages without an epoch (no gateway pair) are never dropped. The newest epoch lives
 * in memory only.
 *
 * <p>{@link #fencedOff} is called on the delivery thread; the epoch and the count may be read from
 * any thread.
 */
public final class EpochFence {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final String name;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long epoch;
    private long loggedAt;
    private long droppedSinceLog;

    /**
     * @param name the durable consumer's name, for the log
     */
    public EpochFence(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    /**
     * @param e the message's epoch; 0 or less without one
     * @param seq the message's stream sequence, for the log
     * @param subject the message's subject, for the log
     * @return true when the message is dropped
     */
    public boolean fencedOff(long e, long seq, String subject) {
        if (e <= 0) {
            return false;
        }
        if (e > epoch) {
            if (epoch > 0) {
                LOG.info(
                        "consumer {}: gateway lease epoch {} -> {} at message {}",
                        name,
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
        dropped.incrementAndGet();
        droppedSinceLog++;
        long now = System.nanoTime();
        if (loggedAt == 0 || now - loggedAt > LOG_EVERY_NANOS) {
            LOG.warn(
                    "consumer {}: dropped {} message(s) of an older gateway epoch (latest: epoch {}"
                            + " on {}; current epoch {}): a gateway that lost its lease; the"
                            + " switchover gap covers them",
                    name,
                    droppedSinceLog,
                    e,
                    subject,
                    epoch);
            loggedAt = now;
            droppedSinceLog = 0;
        }
        return true;
    }

    /**
     * @return the newest gateway lease epoch seen; 0 before any (or without a gateway pair)
     */
    public long epoch() {
        return epoch;
    }

    /**
     * @return messages dropped because they came from an older epoch than one seen before
     */
    public long dropped() {
        return dropped.get();
    }
}
