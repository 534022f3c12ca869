package io.tickmux.core.internal;

/**
 * The sockets the manager holds, never more than {@code max-connections}: a socket counts from
 * {@code connect()} until the transport reports it ended, so a replacement does not open before the
 * old one's close is confirmed. Under the manager's lock.
 *
 * <p>Invariant (S1): {@link #held()} equals the number of connections whose {@code socketHeld} is
 * set, and never exceeds the maximum.
 */
final class SocketBudget {

    private final int max;
    private int held;
    private int maxSeen;

    SocketBudget(int max) {
        this.max = max;
    }

    /** Takes a slot if one is free. */
    boolean tryAcquire() {
        if (held >= max) {
            return false;
        }
        held++;
        maxSeen = Math.max(maxSeen, held);
        return true;
    }

    void release() {
        held--;
    }

    int held() {
        return held;
    }

    int max() {
        return max;
    }

    /** The most sockets held at once since start. */
    int maxSeen() {
        return maxSeen;
    }
}
