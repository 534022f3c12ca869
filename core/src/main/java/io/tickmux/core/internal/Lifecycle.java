package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.transport.DisconnectReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A connection's life: opening sockets within the {@link SocketBudget}, sending each ledger's
 * difference, and every transport callback but events. Each callback takes the manager's lock,
 * updates the ledger and the {@link TickerBook}, asks the {@link ReconnectPolicy} what to do after
 * a loss, and {@link #flush() flushes} before it returns, so invariant L4 holds whenever the lock
 * is free.
 */
final class Lifecycle {

    private static final Logger LOG = ManagerState.LOG;

    private final ManagerState m;
    private final TickerBook book;
    private final Rehomer rehomer;
    private final GapTracker gaps;
    private final SocketBudget budget;
    private final ReconnectPolicy policy;
    private final RateLimitedLog errorLog;

    Lifecycle(
            ManagerState m,
            TickerBook book,
            Rehomer rehomer,
            GapTracker gaps,
            SocketBudget budget,
            ReconnectPolicy policy,
            RateLimitedLog errorLog) {
        this.m = m;
        this.book = book;
        this.rehomer = rehomer;
        this.gaps = gaps;
        this.budget = budget;
        this.policy = policy;
        this.errorLog = errorLog;
    }

    // ------------------------------------------------ under the lock

    /** Sends every dirty connection's difference and wakes waiters. Under the lock. */
    void flush() {
        rehomer.adoptStranded();
        for (ManagedConnection c : book.takeDirty()) {
            reconcile(c);
        }
        gaps.sweep(book.takeTouched(), m.tickers);
        m.lock.notifyAll();
    }

    private void reconcile(ManagedConnection c) {
        if (c.state != ConnectionState.CONNECTED) {
            return;
        }
        SubscriptionLedger.Diff d = c.ledger.diff(monotonicMillis());
        if (!d.unsubscribe().isEmpty()) {
            c.transport.unsubscribe(d.unsubscribe());
            long timeout = m.settings.unsubscribeAckTimeout().toNanos();
            m.scheduler.schedule(() -> expireUnsubscribes(c), timeout, TimeUnit.NANOSECONDS);
        }
        if (!d.subscribe().isEmpty()) {
            c.transport.subscribe(d.subscribe());
        }
    }

    /** Opens a socket if the budget allows, else tries again shortly. Under the lock. */
    void connectNow(ManagedConnection c) {
        if (c.state.isTerminal() || m.closed) {
            return;
        }
        c.scheduledConnect = null;
        if (!budget.tryAcquire()) {
            LOG.debug(
                    "{}: socket budget full ({} of {}), retrying in {}",
                    c.id,
                    budget.held(),
                    budget.max(),
                    m.settings.socketWaitDelay());
            schedule(c, m.settings.socketWaitDelay());
            return;
        }
        c.socketHeld = true;
        setState(c, ConnectionState.CONNECTING, "opening socket");
        try {
            c.transport.connect();
        } catch (RuntimeException e) {
            LOG.warn("{}: transport refused to connect", c.id, e);
            disconnected(c, DisconnectReason.CONNECT_FAILED, -1, String.valueOf(e.getMessage()));
        }
    }

    private void schedule(ManagedConnection c, Duration delay) {
        if (c.scheduledConnect != null) {
            c.scheduledConnect.cancel(false);
        }
        c.scheduledConnect =
                m.scheduler.schedule(
                        () -> {
                            synchronized (m.lock) {
                                if (!m.closed
                                        && !c.state.isTerminal()
                                        && c.state != ConnectionState.CONNECTING
                                        && c.state != ConnectionState.CONNECTED) {
                                    c.reconnects.incrementAndGet();
                                    connectNow(c);
                                }
                            }
                        },
                        delay.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    /** Stops a connection for good; the caller closes its transport after releasing the lock. */
    void stop(ManagedConnection c, String cause) {
        if (c.scheduledConnect != null) {
            c.scheduledConnect.cancel(false);
            c.scheduledConnect = null;
        }
        setState(c, ConnectionState.CLOSED, cause);
    }

    void setState(ManagedConnection c, ConnectionState to, String cause) {
        ConnectionState from = c.state;
        c.state = to;
        c.lastCause = cause;
        m.lock.notifyAll();
        if (from != to) {
            LOG.info("{} ({}): {} -> {}: {}", c.id, c.def.name(), kebab(from), kebab(to), cause);
            m.publish(new StatusEvent.ConnectionStateChanged(c.id, from, to, cause, m.now()));
        }
    }

    // ------------------------------------------------ transport callbacks

    void connected(ManagedConnection c) {
        synchronized (m.lock) {
            if (c.state == ConnectionState.CLOSED || m.closed) {
                return;
            }
            c.connectedAtMillis = m.clock.millis();
            c.hadSession = true;
            c.messagesAtConnect = c.messages.sum();
            c.ledger.reset();
            setState(c, ConnectionState.CONNECTED, "authenticated");
            reconcile(c);
            for (TickerEntry e : m.critical) {
                e.refusedOn.remove(c.id); // a new session may answer otherwise
            }
            rehomer.failBack(c);
            flush();
        }
    }

    void disconnected(ManagedConnection c, DisconnectReason reason, int closeCode, String detail) {
        boolean closeTransport = false;
        synchronized (m.lock) {
            if (c.socketHeld) {
                c.socketHeld = false;
                budget.release();
                m.retiring.remove(c);
            }
            boolean lost =
                    reason != DisconnectReason.CLOSED_BY_CLIENT
                            && c.state != ConnectionState.CLOSED
                            && !m.closed;
            String code = closeCode >= 0 ? " (" + closeCode + ")" : "";
            if (lost) {
                // What the socket lost was produced after the last event it delivered: the gap
                // starts there, not at the (later) moment the loss was detected.
                long now = m.clock.millis();
                long last = c.lastEventMillis;
                long from = last > 0 && last <= now ? last : now;
                book.socketLost(c, from, c.id + " " + kebab(reason) + code);
            }
            c.ledger.reset();
            String cause =
                    kebab(reason)
                            + code
                            + (detail == null || detail.isEmpty() ? "" : ": " + detail);
            if (c.state == ConnectionState.CLOSED || m.closed) {
                c.lastCause = cause;
                flush();
                return;
            }
            long up = c.connectedAtMillis < 0 ? 0 : m.clock.millis() - c.connectedAtMillis;
            boolean stable =
                    c.connectedAtMillis >= 0
                            && up >= m.settings.stableAfter().toMillis()
                            && c.messages.sum() > c.messagesAtConnect;
            c.connectedAtMillis = -1;
            long others =
                    m.connections.values().stream()
                            .filter(x -> x != c && !x.state.isTerminal())
                            .count();
            if (reason == DisconnectReason.EVICTED) {
                c.evictions.incrementAndGet();
            }
            ReconnectPolicy.Decision d = policy.decide(reason, c.attempt, stable, others);
            c.attempt = d.nextAttempt();
            if (d.park()) {
                park(c, cause, others);
                closeTransport = true;
            } else {
                switch (d.state()) {
                    case FAILED -> {
                        c.errors.increment();
                        LOG.error(
                                "{}: authentication failed, not retrying: {}. Check the API key"
                                        + " (MASSIVE_API_KEY or the connection's api-key) and"
                                        + " that the plan includes WebSocket access",
                                c.id,
                                cause);
                        setState(c, ConnectionState.FAILED, cause);
                    }
                    case COOLDOWN -> {
                        LOG.warn(
                                "{}: evicted by the server (account connection limit), eviction"
                                        + " #{}; reconnecting in {}. Lower"
                                        + " tickmux.core.max-connections to what the account"
                                        + " allows, or ask Massive to raise the limit",
                                c.id,
                                c.evictions.get(),
                                d.delay());
                        setState(c, ConnectionState.COOLDOWN, cause + "; retry in " + d.delay());
                        schedule(c, d.delay());
                    }
                    case RECONNECTING -> {
                        if (reason == DisconnectReason.CONNECT_FAILED) {
                            c.errors.increment();
                        }
                        setState(
                                c,
                                ConnectionState.RECONNECTING,
                                cause
                                        + "; retry #"
                                        + c.attempt
                                        + " in "
                                        + d.delay().toMillis()
                                        + "ms");
                        schedule(c, d.delay());
                    }
                    default -> setState(c, d.state(), cause);
                }
            }
            if (lost && m.settings.failoverEnabled() && m.started) {
                rehomer.failover(c, cause);
            }
            flush();
        }
        if (closeTransport) {
            c.transport.close();
        }
    }

    /**
     * Parks an evicted connection for good: the account evidently allows fewer connections than are
     * configured. Its tickers go to the others (failover); health notes it.
     */
    private void park(ManagedConnection c, String cause, long left) {
        String note =
                c.id
                        + " parked: "
                        + policy.recentEvictions()
                        + " max_connections evictions within "
                        + m.settings.evictionWindow()
                        + "; the account evidently allows "
                        + left
                        + " connection"
                        + (left == 1 ? "" : "s")
                        + ". Lower tickmux.core.max-connections or ask Massive to raise the limit";
        LOG.error(note);
        m.notes.add(note);
        policy.clearEvictions();
        stop(c, "parked: " + cause);
    }

    void acked(ManagedConnection c, String symbol, boolean subscribed) {
        synchronized (m.lock) {
            if (!subscribed) {
                c.ledger.unsubscribed(symbol);
                reconcile(c); // a subscribe held back for this answer goes out
            } else if (c.ledger.answerOwed(symbol)) {
                reconcile(c);
            } else if (c.ledger.ack(symbol)) {
                TickerEntry e = m.tickers.get(symbol);
                book.touch(e);
                if (e != null && e.heldBy(c)) {
                    if (e.secondary == null && e.moveFrom == null) {
                        e.resetSequences(); // a fresh session: sequences may restart
                    }
                    e.lastEventMillis = m.clock.millis();
                    gaps.close(e, "covered again on " + c.id);
                    if (e.owner == c) {
                        book.completeMove(e);
                    }
                }
            }
            flush();
        }
    }

    /**
     * The server refused a subscription, or (timeout) did not answer in time. A timeout is retried
     * with backoff up to {@code subscriptions.ack-timeout-retries} times; a refusal, or the last
     * timeout, leaves the ticker refused on that socket: listed in health, settled for readiness. A
     * refused move target sends the ticker back to its source; a refused secondary is let go.
     */
    void refused(ManagedConnection c, String symbol, String reason, boolean timeout) {
        synchronized (m.lock) {
            if (c.ledger.answerOwed(symbol)) {
                // Meant for a subscribe let go before it was answered, not for the current one.
                reconcile(c);
                m.lock.notifyAll();
                return;
            }
            if (timeout) {
                SubscriptionLedger.Timeout t =
                        c.ledger.timedOut(symbol, m.settings.ackTimeoutRetries(), reason);
                if (t == SubscriptionLedger.Timeout.IGNORED) {
                    return;
                }
                if (t == SubscriptionLedger.Timeout.RETRY) {
                    retryLater(c, symbol, reason);
                    m.lock.notifyAll();
                    return;
                }
            } else if (!c.ledger.refuse(symbol, reason)) {
                return; // an answer for a socket that is gone, or a ticker no longer sent
            }
            c.errors.increment();
            LOG.warn("{}: server refused {}: {}", c.id, symbol, reason);
            m.publish(new StatusEvent.SubscriptionRefused(symbol, c.id, reason, m.now()));
            TickerEntry e = m.tickers.get(symbol);
            book.touch(e);
            if (e != null && e.owner == c && e.moveFrom != null) {
                LOG.warn("{}: move of {} refused; it stays on {}", c.id, symbol, e.moveFrom.id);
                book.revertMove(e);
            } else if (e != null && e.secondary == c) {
                LOG.warn("{}: refused as the second connection of critical {}", c.id, symbol);
                e.refusedOn.add(c.id);
                book.dropSecondary(e);
            }
            flush();
        }
    }

    private void retryLater(ManagedConnection c, String symbol, String reason) {
        int n = c.ledger.timeouts(symbol);
        Duration delay = m.settings.ackRetryDelay().multipliedBy(1L << Math.min(n - 1, 20));
        m.ackRetries.incrementAndGet();
        LOG.warn(
                "{}: {} not acknowledged ({}); retry {} of {} in {}",
                c.id,
                symbol,
                reason,
                n,
                m.settings.ackTimeoutRetries(),
                delay);
        m.scheduler.schedule(
                () -> {
                    synchronized (m.lock) {
                        if (!m.closed && c.ledger.retryDue(symbol)) {
                            reconcile(c);
                            m.lock.notifyAll();
                        }
                    }
                },
                delay.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void expireUnsubscribes(ManagedConnection c) {
        synchronized (m.lock) {
            long cutoff = monotonicMillis() - m.settings.unsubscribeAckTimeout().toMillis();
            List<String> gone = c.ledger.expireUnsubscribes(cutoff);
            reconcile(c); // a subscribe held back for an answer given up goes out
            if (!gone.isEmpty()) {
                m.unsubscribeTimeouts.addAndGet(gone.size());
                LOG.warn(
                        "{}: unsubscribe of {} not acknowledged within {}; no longer waiting (an"
                                + " event that still arrives for them is dropped and counted)",
                        c.id,
                        gone.size() <= 10 ? gone : gone.size() + " tickers",
                        m.settings.unsubscribeAckTimeout());
                m.lock.notifyAll();
            }
        }
    }

    void serverStatus(ManagedConnection c, String status, String message) {
        LOG.info("{}: server status {}: {}", c.id, status, message);
        m.publish(new StatusEvent.ServerStatus(c.id, status, message, m.now()));
    }

    void transportError(ManagedConnection c, String kind, String detail) {
        c.errors.increment();
        errorLog.warn(
                "{}: transport error {} (skipped, connection kept): {}", null, c.id, kind, detail);
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000L;
    }
}
