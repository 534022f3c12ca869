package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.tickmux.spi.event.MarketEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages sent and not yet acknowledged, at most {@code max-in-flight}, retired strictly in
 * publish order, each naming its predecessor. After a reconnect or a failure the first one not
 * acknowledged is sent alone (the probe) and, once it is acknowledged, every other one in order; a
 * message that fails while connected is sent again after a back-off, {@code max-retries} times, and
 * then given up as lost. A head not acknowledged within the ack timeout while the client wrote
 * nothing makes the client reconnect.
 *
 * <p>Publishing thread only, except {@link #reconnected()} (the client's callback thread) and
 * {@link #inFlight()} (any thread).
 */
final class PublishPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);

    /** The pipeline's view of the NATS client. */
    interface Link {
        /**
         * @return whether the client is connected and not being reconnected
         */
        boolean connected();

        /**
         * @return how many messages the client has written to its socket so far
         */
        long written();

        /**
         * Sends one message to JetStream.
         *
         * @param message the message
         * @return its acknowledgement
         * @throws RuntimeException when the client is disconnected or closing (it queues nothing)
         */
        CompletableFuture<PublishAck> publish(NatsMessage message);

        /**
         * The client wrote nothing while it claims to be connected: reconnect it.
         *
         * @param waiting messages waiting for an acknowledgement, for the log
         */
        void forceReconnect(int waiting);
    }

    /** What the pipeline reports to, and asks of, the sink. */
    interface Host {
        /**
         * @return whether the sink's fence forbids publishing now
         */
        boolean fenced();

        /**
         * @param receivedNanos the acknowledged message's gateway receipt; 0 for a status message
         */
        void acknowledged(long receivedNanos);

        /**
         * @param what a failure that is retried or given up
         */
        void error(String what);

        /**
         * @param event an event given up after its retries
         * @param connectionId its connection
         * @param reason why, for its gap
         */
        void lost(MarketEvent event, String connectionId, String reason);

        /**
         * Waits a little for the connection to come back.
         *
         * @throws InterruptedException when closing
         */
        void waitForConnection() throws InterruptedException;

        /**
         * Waits up to {@code millis}, or until the sink is woken (a reconnect, a close).
         *
         * @param millis the longest wait
         * @throws InterruptedException when closing
         */
        void pause(long millis) throws InterruptedException;
    }

    private final ArrayDeque<PendingMessage> pending = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final long ackTimeoutNanos;
    private final int maxRetries;
    private final Link link;
    private final Host host;
    private final LongSupplier nanoTime;
    private volatile boolean resendAll;

    /**
     * Only the head is out, alone, until it is acknowledged: after a reconnect or a failure, one
     * message finds out whether JetStream answers before everything else is sent again (a resend of
     * thousands into a client or server that is not ready turns into a storm).
     */
    private boolean probing;

    private String lastId;

    /**
     * @param maxInFlight messages unacknowledged at most
     * @param ackTimeout how long a message may wait for its acknowledgement
     * @param maxRetries resends while connected before a message is given up
     * @param link the client
     * @param host the sink
     * @param nanoTime the monotonic clock ({@link System#nanoTime()})
     */
    PublishPipeline(
            int maxInFlight,
            Duration ackTimeout,
            int maxRetries,
            Link link,
            Host host,
            LongSupplier nanoTime) {
        this.maxInFlight = maxInFlight;
        this.ackTimeout = requireNonNull(ackTimeout, "ackTimeout is null");
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.maxRetries = maxRetries;
        this.link = requireNonNull(link, "link is null");
        this.host = requireNonNull(host, "host is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /**
     * The back-off before a message that failed while connected is sent again: 10 ms, doubling with
     * each retry, at most the ack timeout.
     *
     * @param retries how often it failed, at least 1
     * @param ackTimeoutNanos the ack timeout
     * @return the delay in ns
     */
    static long retryDelayNanos(int retries, long ackTimeoutNanos) {
        return Math.min(ackTimeoutNanos, 10_000_000L << Math.min(retries - 1, 20));
    }

    /**
     * @return messages sent and not yet acknowledged
     */
    int inFlight() {
        return inFlight.get();
    }

    /** The client reconnected: everything unacknowledged is sent again, the first one alone. */
    void reconnected() {
        resendAll = true;
    }

    /**
     * Adds a message at the end, after waiting while {@code max-in-flight} are unacknowledged, and
     * sends it unless a resend is under way (it then follows in order).
     *
     * @param p the message
     * @throws InterruptedException when closing
     */
    void enqueue(PendingMessage p) throws InterruptedException {
        while (pending.size() >= maxInFlight && !host.fenced()) {
            settle();
            if (pending.size() >= maxInFlight) {
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

    private void send(PendingMessage p) {
        if (host.fenced()) {
            // The lease is gone: nothing is sent, not even a resend (dropped by the base).
            p.ack = CompletableFuture.failedFuture(new IllegalStateException("fenced"));
            return;
        }
        p.sentAt = nanoTime.getAsLong();
        p.writtenAtSend = link.written();
        try {
            p.ack = link.publish(p.message());
        } catch (RuntimeException e) {
            // Disconnected (the client queues nothing) or closing: not sent; resent after the
            // reconnect.
            p.ack = CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits a little for the head: its acknowledgement, its back-off, or the connection.
     *
     * @throws InterruptedException when closing
     */
    void awaitHead() throws InterruptedException {
        PendingMessage head = pending.peekFirst();
        if (head == null) {
            return;
        }
        if (head.ack == null) {
            if (!link.connected()) {
                host.waitForConnection();
            } else {
                long waitNanos = head.retryAt - nanoTime.getAsLong();
                if (waitNanos > 0) {
                    host.pause(Math.max(1, waitNanos / 1_000_000L));
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

    /**
     * Forgets everything unacknowledged, unsent: the fence forbids publishing.
     *
     * @return how many messages were dropped
     */
    int discard() {
        int n = pending.size();
        pending.clear();
        inFlight.set(0);
        resendAll = false;
        probing = false;
        lastId = null;
        return n;
    }

    /**
     * Retires the acknowledged head messages in order; sends again what a reconnect or a failure
     * left unsent (the probe first); deals with a head that failed or waited too long.
     *
     * @throws InterruptedException when closing
     */
    void settle() throws InterruptedException {
        if (host.fenced()) {
            return; // the base discards what is pending
        }
        if (resendAll && link.connected()) {
            resendAll = false;
            for (PendingMessage q : pending) {
                if (q.ack == null || q.ack.isCompletedExceptionally() || !q.ack.isDone()) {
                    q.ack = null; // lost with the old connection, or never sent
                }
            }
            probing = !pending.isEmpty();
        }
        while (!pending.isEmpty()) {
            PendingMessage p = pending.peekFirst();
            if (p.ack == null) {
                if (!link.connected() || nanoTime.getAsLong() - p.retryAt < 0) {
                    return; // sent after the reconnect, or after its back-off
                }
                probing = true;
                send(p); // alone: the rest follows once it is acknowledged
                return;
            }
            if (!p.ack.isDone()) {
                if (nanoTime.getAsLong() - p.sentAt < ackTimeoutNanos) {
                    return;
                }
                if (link.connected() && writerStalled(p)) {
                    return; // a reconnect is under way; everything is resent after it
                }
                failed(p, "no acknowledgement within " + ackTimeout);
                return;
            }
            if (p.ack.isCompletedExceptionally()) {
                failed(p, cause(p.ack));
                return;
            }
            pending.pollFirst();
            inFlight.set(pending.size());
            host.acknowledged(p.receivedNanos);
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
    private boolean writerStalled(PendingMessage head) {
        if (link.written() != head.writtenAtSend) {
            return false;
        }
        host.error("the NATS client stopped writing; reconnecting");
        resendAll = true;
        link.forceReconnect(pending.size());
        return true;
    }

    private void failed(PendingMessage p, String why) {
        host.error(why);
        LOG.debug(
                "sink nats: {} (id {}) not acknowledged: {}; retry {}, connected {}, {} pending",
                p.subject,
                p.id,
                why,
                p.retries,
                link.connected(),
                pending.size());
        if (!link.connected()) {
            // Everything unacknowledged is sent again after the reconnect, in order; not counted
            // as a retry.
            resendAll = true;
            return;
        }
        p.retries++;
        if (p.retries > maxRetries) {
            pending.pollFirst();
            inFlight.set(pending.size());
            // The next message now follows the one before the lost one, and goes out alone.
            PendingMessage next = pending.peekFirst();
            if (next != null) {
                next.expect = p.expect;
                next.ack = null;
                next.retryAt = nanoTime.getAsLong();
            } else {
                lastId = p.expect;
            }
            if (p.event != null) {
                host.lost(p.event, p.connectionId, "publish failed: " + why);
            }
            LOG.warn("sink nats: gave up {} after {} retries: {}", p.subject, maxRetries, why);
            return;
        }
        // Sent again alone after a back-off; the ones behind it follow once it is acknowledged
        // (those JetStream refused because they name it as their predecessor, and repeats of
        // stored ones are removed by the duplicate window).
        p.ack = null;
        p.retryAt = nanoTime.getAsLong() + retryDelayNanos(p.retries, ackTimeoutNanos);
    }

    private void resendUnacknowledged() {
        for (PendingMessage q : pending) {
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

    /**
     * At close: waits, at most until {@code deadlineNanos} and while connected and not fenced, for
     * what is unacknowledged.
     *
     * @param deadlineNanos when to give up, a {@link System#nanoTime()} value
     */
    void drain(long deadlineNanos) {
        try {
            while (!pending.isEmpty()
                    && nanoTime.getAsLong() < deadlineNanos
                    && link.connected()
                    && !host.fenced()) {
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
    }
}
