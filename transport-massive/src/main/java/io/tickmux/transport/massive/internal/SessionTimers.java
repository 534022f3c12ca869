package io.tickmux.transport.massive.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * One socket's timers, on the host's scheduler (the manager's `tickmux-scheduler` thread): from the
 * upgrade ({@link #start()}) the auth timeout, pings every ping interval and the read deadline,
 * until {@link #cancel()}; and one-shot delays ({@link #after}: ack deadlines, waits around the
 * socket's end), which are not cancelled.
 *
 * <p>The read deadline drops a socket that has read nothing (no data, no pong) for that long. It
 * re-arms itself for the time left, so silence is caught within a timer tick of the deadline, not
 * up to a ping interval later, and runs once per deadline while data flows.
 *
 * <p>The callbacks run on the timer thread and must not wait. Thread-safe.
 */
final class SessionTimers {

    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final long authNanos;
    private final long pingNanos;
    private final long deadlineNanos;
    private final Runnable onAuthTimeout;
    private final Runnable onPing;
    private final LongConsumer onSilence;

    private volatile long lastReadNanos;
    private volatile ScheduledFuture<?> authTimer;
    private volatile ScheduledFuture<?> pinger;
    private volatile ScheduledFuture<?> deadlineTimer;
    private volatile boolean cancelled;

    /**
     * @param timer the host's scheduler
     * @param clock {@link System#nanoTime()}, or a test's clock
     * @param authTimeout from the upgrade to {@code onAuthTimeout}, unless {@link #authenticated()}
     * @param pingInterval how often {@code onPing} runs
     * @param readDeadline silence after which {@code onSilence} runs
     * @param onAuthTimeout told once when the auth timeout passes
     * @param onPing told every ping interval
     * @param onSilence told once, with how long the socket was silent in nanoseconds, when it has
     *     read nothing for the read deadline
     */
    SessionTimers(
            ScheduledExecutorService timer,
            LongSupplier clock,
            Duration authTimeout,
            Duration pingInterval,
            Duration readDeadline,
            Runnable onAuthTimeout,
            Runnable onPing,
            LongConsumer onSilence) {
        this.timer = timer;
        this.clock = clock;
        this.authNanos = authTimeout.toNanos();
        this.pingNanos = pingInterval.toNanos();
        this.deadlineNanos = readDeadline.toNanos();
        this.onAuthTimeout = onAuthTimeout;
        this.onPing = onPing;
        this.onSilence = onSilence;
        this.lastReadNanos = clock.getAsLong();
    }

    /** On the upgrade: starts the auth timeout, the pings and the read deadline. */
    void start() {
        lastReadNanos = clock.getAsLong();
        authTimer = timer.schedule(onAuthTimeout, authNanos, TimeUnit.NANOSECONDS);
        pinger = timer.scheduleAtFixedRate(onPing, pingNanos, pingNanos, TimeUnit.NANOSECONDS);
        checkReadDeadline();
    }

    /** The socket read something (a frame, a pong): the read deadline starts again. */
    void read() {
        lastReadNanos = clock.getAsLong();
    }

    /** The auth reply came: the auth timeout is off. */
    void authenticated() {
        ScheduledFuture<?> a = authTimer;
        if (a != null) {
            a.cancel(false);
        }
    }

    /**
     * Runs a task once after a delay; {@link #cancel()} does not stop it.
     *
     * @param delay the delay
     * @param task the task, on the timer thread
     */
    void after(Duration delay, Runnable task) {
        timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The socket ended: the auth timeout, the pings and the read deadline stop. */
    void cancel() {
        cancelled = true;
        cancel(authTimer);
        cancel(pinger);
        cancel(deadlineTimer);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void checkReadDeadline() {
        if (cancelled) {
            return;
        }
        long silentNanos = clock.getAsLong() - lastReadNanos;
        if (silentNanos >= deadlineNanos) {
            onSilence.accept(silentNanos);
            return;
        }
        deadlineTimer =
                timer.schedule(
                        this::checkReadDeadline, deadlineNanos - silentNanos, TimeUnit.NANOSECONDS);
    }
}
