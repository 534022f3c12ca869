package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.consumer.TickmuxConsumer;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of one JetStream message, in stream order: a message at or before the position is
 * dropped as handled before; an unreadable one is counted, logged and passed; one of an older
 * gateway epoch is fenced off; any other is handed to the listeners. The position moves to every
 * message that is not dropped before the listeners run (so a listener reads its own message's
 * position) and is stored in the checkpoint after they returned. An exception from a listener is
 * counted and logged, and the message still counts as handled (a poison message never blocks the
 * feed). The caller acknowledges every message afterwards, whatever became of it.
 *
 * <p>Called on the delivery thread only.
 */
public final class MessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);

    private final String name;
    private final WireReader reader = new WireReader();
    private final Delivery delivery;
    private final StreamPosition position;
    private final EpochFence fence;

    /**
     * @param name the durable consumer's name, for the log
     * @param delivery hands messages to the listeners and counts
     * @param position the position and its checkpoint
     * @param fence drops messages of an older gateway epoch
     */
    public MessageHandler(
            String name, Delivery delivery, StreamPosition position, EpochFence fence) {
        this.name = requireNonNull(name, "name is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.position = requireNonNull(position, "position is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    /**
     * Handles one message; the caller acknowledges it afterwards.
     *
     * @param seq its stream sequence
     * @param subject its subject, for the log
     * @param data its payload, in the wire format
     */
    public void handle(long seq, String subject, byte[] data) {
        if (position.handled(seq)) {
            delivery.countSkipped(); // handled before (a redelivery, or before the checkpoint)
            return;
        }
        WireMessage w;
        try {
            w = reader.read(data);
        } catch (WireReader.WireFormatException e) {
            delivery.countError();
            LOG.warn(
                    "consumer {}: skipped message {} on {}: {}",
                    name,
                    seq,
                    subject,
                    e.getMessage());
            position.moveTo(seq);
            position.store(seq);
            return;
        }
        position.moveTo(seq);
        if (fence.fencedOff(w.epoch(), seq, subject)) {
            position.store(seq);
            return;
        }
        try {
            delivery.deliver(w);
        } catch (RuntimeException e) {
            delivery.countError();
            LOG.warn("consumer {}: a listener threw on message {}; continuing", name, seq, e);
        }
        position.store(seq);
    }
}
