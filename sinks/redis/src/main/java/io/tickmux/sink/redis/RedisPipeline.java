package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisCommandExecutionException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.wire.WireFormat;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events whose commands were sent and not all answered, at most {@code max-in-flight}, retired
 * in order once Redis answered every command of one. A command Redis refuses with an error is sent
 * again, {@code max-retries} times per event, then the event is given up as lost; a command with no
 * answer (a timeout, a broken connection) has the connection closed, and after the reconnect {@link
 * #resync()} finds out what was stored and sends the rest again.
 *
 * <p>Publishing thread only, except {@link #inFlight()} (any thread).
 */
final class RedisPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);
    private static final String VERSION = Integer.toString(WireFormat.VERSION);

    /** What the pipeline reports to, and asks of, the sink. */
    interface Host {
        /**
         * @param receivedNanos the answered event's gateway receipt; 0 for a status event
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
         * Waits a little for the connection to come back, reconnecting when it is time.
         *
         * @throws InterruptedException when closing
         */
        void waitForConnection() throws InterruptedException;

        /**
         * A command got no answer: whether it was stored is unknown, so the connection is closed
         * and the reconnect finds out.
         *
         * @param why what happened, for health and the log
         */
        void broken(String why);
    }

    private final ArrayDeque<PendingEvent> pending = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final RedisSinkSettings settings;
    private final RedisLink link;
    private final StreamTrim trim;
    private final Host host;

    /**
     * @param settings the sink's settings
     * @param link the connection
     * @param trim the trimming of every {@code XADD}
     * @param host the sink
     */
    RedisPipeline(RedisSinkSettings settings, RedisLink link, StreamTrim trim, Host host) {
        this.settings = requireNonNull(settings, "settings is null");
        this.link = requireNonNull(link, "link is null");
        this.trim = requireNonNull(trim, "trim is null");
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * @return events sent and not all answered
     */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Adds an event at the end, after waiting while {@code max-in-flight} are unanswered, and sends
     * its commands when connected (otherwise they are sent after the reconnect).
     *
     * @param p the event and its commands
     * @throws InterruptedException when closing
     */
    void enqueue(PendingEvent p) throws InterruptedException {
        while (pending.size() >= settings.maxInFlight()) {
            settle();
            if (pending.size() >= settings.maxInFlight()) {
                awaitHead();
            }
        }
        pending.addLast(p);
        inFlight.set(pending.size());
        if (link.connected()) {
            for (Command c : p.cmds) {
                send(c);
            }
        }
    }

    private void send(Command c) {
        try {
            if (c.xadd) {
                c.future =
                        link.async()
                                .xadd(
                                        c.key,
                                        trim.args(),
                                        RedisSink.FIELD_VERSION,
                                        VERSION,
                                        RedisSink.FIELD_ID,
                                        c.id,
                                        RedisSink.FIELD_DATA,
                                        c.value)
                                .toCompletableFuture();
            } else {
                c.future = link.async().publish(c.key, c.value).toCompletableFuture();
            }
        } catch (RuntimeException e) {
            // Not connected (the client queues nothing): sent again after the reconnect.
            c.future = null;
        }
    }

    /**
     * After a reconnect: finds which unanswered stream entries were stored ({@link Resync}) and
     * sends every other unanswered command again, in order.
     *
     * @return the entries found stored
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when Redis answers a look at a stream with an error
     * @throws TimeoutException when Redis does not answer in time
     */
    int resync() throws InterruptedException, ExecutionException, TimeoutException {
        int found = Resync.markStored(pending, link::newestId);
        for (PendingEvent p : pending) {
            for (Command c : p.cmds) {
                if (!c.ok()) {
                    send(c);
                }
            }
        }
        return found;
    }

    /**
     * Waits a little for the head's next answer, or for the connection.
     *
     * @throws InterruptedException when closing
     */
    void awaitHead() throws InterruptedException {
        PendingEvent head = pending.peekFirst();
        if (head == null) {
            return;
        }
        if (!link.connected()) {
            host.waitForConnection();
            return;
        }
        for (Command c : head.cmds) {
            if (c.future == null) {
                return; // sent by settle
            }
            if (!c.future.isDone()) {
                try {
                    c.future.get(1, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // settled by the caller
                }
                return;
            }
        }
    }

    /**
     * Retires the answered head events in order; sends what is unsent; deals with a head command
     * that was refused or got no answer.
     *
     * @throws InterruptedException when closing
     */
    void settle() throws InterruptedException {
        while (!pending.isEmpty()) {
            PendingEvent p = pending.peekFirst();
            boolean done = true;
            for (Command c : p.cmds) {
                if (c.ok()) {
                    continue;
                }
                done = false;
                if (c.future == null) {
                    if (link.connected()) {
                        send(c);
                    }
                    return;
                }
                if (!c.future.isDone()) {
                    return;
                }
                Throwable why = cause(c.future);
                if (why instanceof RedisCommandExecutionException) {
                    // Redis answered with an error (OOM, WRONGTYPE...): retried, then given up.
                    refused(p, c, why);
                } else if (link.connected()) {
                    // A timeout or a broken connection: whether it was stored is unknown; the
                    // connection is dropped and the reconnect finds out.
                    host.broken("no answer from Redis: " + link.describe(why));
                }
                return;
            }
            if (done) {
                pending.pollFirst();
                inFlight.set(pending.size());
                host.acknowledged(p.receivedNanos);
            }
        }
    }

    private void refused(PendingEvent p, Command c, Throwable why) {
        host.error(link.describe(why));
        p.retries++;
        if (p.retries > settings.maxRetries()) {
            pending.pollFirst();
            inFlight.set(pending.size());
            if (p.event != null) {
                host.lost(p.event, p.connectionId, "Redis refused it: " + why.getMessage());
            }
            LOG.warn(
                    "sink redis: gave up {} after {} retries: {}",
                    c.key,
                    settings.maxRetries(),
                    why.getMessage());
            return;
        }
        for (Command x : p.cmds) {
            if (x.failed()) {
                send(x);
            }
        }
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            return new IllegalStateException("unknown");
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    /**
     * At close: waits, at most until {@code deadlineNanos} and while connected, for what is
     * unanswered.
     *
     * @param deadlineNanos when to give up, a {@link System#nanoTime()} value
     */
    void drain(long deadlineNanos) {
        try {
            while (!pending.isEmpty() && System.nanoTime() < deadlineNanos && link.connected()) {
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
                    "sink redis: closing with {} events unacknowledged (they may have been"
                            + " stored)",
                    pending.size());
        }
    }
}
