package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.nats.client.Message;
import io.tickmux.consumer.TickmuxConsumer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream consumer's delivery thread: fetches the next message, has it handled, acknowledges
 * it after the listeners returned, until stopped. A failed fetch is counted and logged, and the
 * loop fetches again.
 */
public final class JetStreamLoop extends DeliveryLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConsumer.class);
    private static final Duration WAIT = Duration.ofMillis(200);

    private final String name;
    private final JetStreamSubscription subscription;
    private final MessageHandler handler;
    private final Delivery counts;

    /**
     * @param name the durable consumer's name, for the log
     * @param subscription where the messages come from
     * @param handler what becomes of each message
     * @param counts counts a failed fetch as an error
     */
    public JetStreamLoop(
            String name,
            JetStreamSubscription subscription,
            MessageHandler handler,
            Delivery counts) {
        this.name = requireNonNull(name, "name is null");
        this.subscription = requireNonNull(subscription, "subscription is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.counts = requireNonNull(counts, "counts is null");
    }

    /** Delivers until {@link #stop} (seen within a fetch's wait) or an interrupt. */
    @Override
    public void run() {
        while (running()) {
            Message m;
            try {
                m = subscription.next(WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                counts.countError();
                LOG.warn("consumer {}: reading failed; retrying: {}", name, e.toString());
                continue;
            }
            if (m == null || !m.isJetStream()) {
                continue;
            }
            handler.handle(m.metaData().streamSequence(), m.getSubject(), m.getData());
            m.ack();
        }
    }
}
