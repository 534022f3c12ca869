package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.consumer.Checkpoint;
import io.tickmux.consumer.TickmuxConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JetStream consumer's position in the stream and its {@link Checkpoint}: where a start resumes,
 * the position a listener reads while it handles a message (what an application stores with its own
 * effect), what a redelivery is compared with, and the checkpoint stored after each message.
 *
 * <p>Written on the delivery thread (and by a start before it runs); {@link #get()} may be read
 * from any thread.
 */
public final class StreamPosition {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);

    private final String name;
    private final Checkpoint checkpoint;
    private final Delivery counts;
    private volatile long position;

    /**
     * @param name the durable consumer's name, for the log
     * @param checkpoint where the position is kept
     * @param counts counts a failed checkpoint as an error
     */
    public StreamPosition(String name, Checkpoint checkpoint, Delivery counts) {
        this.name = requireNonNull(name, "name is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.counts = requireNonNull(counts, "counts is null");
    }

    /**
     * Where to resume: the checkpoint's position when the application keeps one (a position above
     * 0, or a checkpoint that keeps state, for which 0 means the stream's start), else the durable
     * consumer's acknowledgement floor.
     *
     * @param ackFloor the last message the durable consumer had acknowledged; 0 without one
     * @return the position to resume after
     */
    public long resumeAfter(long ackFloor) {
        long cp = checkpoint.load();
        return cp > 0 || checkpoint.keepsState() ? cp : ackFloor;
    }

    /**
     * @param seq the position the next message follows: where the consumer resumes, or the message
     *     now being handled
     */
    public void moveTo(long seq) {
        position = seq;
    }

    /**
     * @param seq a message's stream sequence
     * @return whether it was handled before (a redelivery, or at or before the resume position)
     */
    public boolean handled(long seq) {
        return seq <= position;
    }

    /**
     * @return the stream sequence of the message being handled or of the last one; 0 before the
     *     first
     */
    public long get() {
        return position;
    }

    /**
     * Stores the position in the checkpoint; a checkpoint that fails is counted and logged, and
     * delivery goes on (a restart then resumes from the checkpoint's last stored position, so
     * nothing is lost).
     *
     * @param seq the message just handled
     */
    public void store(long seq) {
        try {
            checkpoint.store(seq);
        } catch (RuntimeException e) {
            counts.countError();
            LOG.warn(
                    "consumer {}: the checkpoint failed at position {}; continuing (a restart"
                            + " resumes from its last stored position): {}",
                    name,
                    seq,
                    e.getMessage());
        }
    }
}
