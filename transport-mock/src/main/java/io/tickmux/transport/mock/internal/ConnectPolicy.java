package io.tickmux.transport.mock.internal;

import io.tickmux.spi.transport.DisconnectReason;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * How a mock connection's server answers connect attempts, in the spirit of MockWebServer's socket
 * policy: accepted, unless authentication is rejected (every attempt fails until allowed again) or
 * a refusal is queued (each used up by one attempt). Not thread-safe: the connection's lock guards
 * it.
 */
public final class ConnectPolicy {

    private final Deque<DisconnectReason> refusals = new ArrayDeque<>();
    private boolean authRejected;

    /**
     * The next {@code count} attempts fail with a reason, after those already queued.
     *
     * @param count how many attempts
     * @param reason the failure reported
     */
    public void refuseNext(int count, DisconnectReason reason) {
        for (int i = 0; i < count; i++) {
            refusals.add(reason);
        }
    }

    /** Every attempt from now on fails authentication; queued refusals wait until it is allowed. */
    public void rejectAuth() {
        authRejected = true;
    }

    /** Attempts authenticate again, as before {@link #rejectAuth()}. */
    public void allowAuth() {
        authRejected = false;
    }

    /** Forgets the refusals still queued by {@link #refuseNext}. */
    public void acceptConnects() {
        refusals.clear();
    }

    /**
     * The answer to one connect attempt; uses up a queued refusal unless authentication fails.
     *
     * @return how the attempt ends, or empty when it is accepted
     */
    public Optional<Disconnect> answer() {
        DisconnectReason refusal = authRejected ? DisconnectReason.AUTH_FAILED : refusals.poll();
        return Optional.ofNullable(refusal).map(Disconnect::refused);
    }
}
