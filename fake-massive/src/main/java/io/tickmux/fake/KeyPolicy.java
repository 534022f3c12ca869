package io.tickmux.fake;

import java.util.Set;

/**
 * Which API keys the server accepts (reference §2.1, §2.2): a key is refused when it is on the
 * rejected list or, when only some keys are accepted, not on the accepted list; a key whose plan
 * lacks WebSocket access is refused on the socket with its own message, but its REST calls are
 * answered. Immutable.
 */
final class KeyPolicy {

    /** What the socket answers to an {@code auth} message. */
    enum Verdict {
        /** {@code auth_success}. */
        ACCEPTED,
        /** {@code auth_failed} ({@code authentication failed}), then an abort. */
        FAILED,
        /** {@code auth_failed} with the plan message, then an abort. */
        UNENTITLED
    }

    private final boolean acceptAnyKey;
    private final Set<String> accepted;
    private final Set<String> rejected;
    private final Set<String> unentitled;

    /**
     * @param acceptAnyKey whether any key not rejected is accepted
     * @param accepted the keys accepted when not any key is
     * @param rejected keys refused even when any key is accepted
     * @param unentitled keys whose plan lacks WebSocket access
     */
    KeyPolicy(
            boolean acceptAnyKey,
            Set<String> accepted,
            Set<String> rejected,
            Set<String> unentitled) {
        this.acceptAnyKey = acceptAnyKey;
        this.accepted = Set.copyOf(accepted);
        this.rejected = Set.copyOf(rejected);
        this.unentitled = Set.copyOf(unentitled);
    }

    /**
     * @param key the key an {@code auth} message carries
     * @return what the socket answers; an unentitled key is {@link Verdict#UNENTITLED} whatever the
     *     other lists say
     */
    Verdict onSocket(String key) {
        if (unentitled.contains(key)) {
            return Verdict.UNENTITLED;
        }
        return valid(key) ? Verdict.ACCEPTED : Verdict.FAILED;
    }

    /**
     * @param key the key a REST call carries
     * @return whether the REST API answers it (an unentitled key's plan still has REST access)
     */
    boolean valid(String key) {
        return !rejected.contains(key) && (acceptAnyKey || accepted.contains(key));
    }
}
