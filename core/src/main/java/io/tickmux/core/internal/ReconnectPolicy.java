package io.tickmux.core.internal;

import io.tickmux.core.CoreSettings;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.transport.DisconnectReason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * What a connection does after its socket ended: reconnect with backoff, wait out an eviction
 * cooldown, park for good (the account allows fewer connections than configured), or stop. Pure
 * decisions; the caller applies them. Under the manager's lock.
 *
 * <table>
 *   <caption>decisions</caption>
 *   <tr><td>clean close, abort, policy, read timeout, slow consumer, failed connect</td>
 *       <td>{@code RECONNECTING} after exponential backoff; the attempt count resets only after a
 *       connection stayed up for {@code stable-after} and delivered data</td></tr>
 *   <tr><td>{@code auth_failed}</td><td>{@code FAILED}, terminal</td></tr>
 *   <tr><td>eviction ({@code max_connections})</td><td>{@code COOLDOWN} for
 *       {@code eviction-cooldown}, or parked ({@code CLOSED}) after
 *       {@code account-limit.evictions-to-shrink} evictions within the window</td></tr>
 *   <tr><td>closed by the application</td><td>{@code CLOSED}</td></tr>
 * </table>
 */
final class ReconnectPolicy {

    /**
     * @param state the state to enter
     * @param delay when to try again; null for never
     * @param nextAttempt the attempt count to keep
     * @param park whether the account limit was reached: park the connection for good
     */
    record Decision(ConnectionState state, Duration delay, int nextAttempt, boolean park) {}

    private final CoreSettings settings;
    private final Backoff backoff;
    private final Clock clock;
    private final ArrayDeque<Long> evictions = new ArrayDeque<>();

    ReconnectPolicy(CoreSettings settings, Backoff backoff, Clock clock) {
        this.settings = settings;
        this.backoff = backoff;
        this.clock = clock;
    }

    /**
     * @param reason why the socket ended
     * @param attempt reconnect attempts so far
     * @param stable whether the socket had stayed up for stable-after and delivered data
     * @param othersRunning connections besides this one that are not terminal
     * @return what to do
     */
    Decision decide(DisconnectReason reason, int attempt, boolean stable, long othersRunning) {
        return switch (reason) {
            case AUTH_FAILED -> new Decision(ConnectionState.FAILED, null, attempt, false);
            case CLOSED_BY_CLIENT -> new Decision(ConnectionState.CLOSED, null, attempt, false);
            case EVICTED -> {
                if (accountLimitReached(othersRunning)) {
                    yield new Decision(ConnectionState.CLOSED, null, attempt, true);
                }
                yield new Decision(
                        ConnectionState.COOLDOWN, settings.evictionCooldown(), attempt, false);
            }
            case CLEAN_CLOSE, ABORT, POLICY, CONNECT_FAILED, READ_TIMEOUT, SLOW_CONSUMER -> {
                int a = stable ? 0 : attempt;
                yield new Decision(ConnectionState.RECONNECTING, backoff.delay(a), a + 1, false);
            }
        };
    }

    /** Evictions counted in the window, for the park note. */
    int recentEvictions() {
        return evictions.size();
    }

    /** Forgets counted evictions (after a park). */
    void clearEvictions() {
        evictions.clear();
    }

    private boolean accountLimitReached(long othersRunning) {
        int threshold = settings.evictionsToShrink();
        if (threshold == 0) {
            return false;
        }
        long now = clock.millis();
        evictions.addLast(now);
        while (!evictions.isEmpty()
                && evictions.peekFirst() < now - settings.evictionWindow().toMillis()) {
            evictions.removeFirst();
        }
        return evictions.size() >= threshold && othersRunning > 0;
    }
}
