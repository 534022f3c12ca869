package io.tickmux.fake;

import java.util.Set;

/**
 * What the server does with one param of a subscribe or unsubscribe message (reference §3.2, §3.3):
 * a {@code PREFIX.TICKER} topic on a stocks channel it knows is acted on (any ticker, the {@code *}
 * wildcard included); an unknown topic is dropped silently; a channel outside the plan is answered
 * {@code not authorized}. Immutable.
 */
final class TopicPolicy {

    /** The stocks channel prefixes of the real server. */
    private static final Set<String> KNOWN_PREFIXES =
            Set.of("T", "Q", "A", "AM", "LULD", "NOI", "FMV");

    /** What becomes of one topic. */
    enum Outcome {
        /** Subscribed or unsubscribed, with a {@code success} ack. */
        ACCEPTED,
        /** Dropped silently: no ack, no error (also a param that is not {@code PREFIX.TICKER}). */
        UNKNOWN,
        /** Not acted on; the message is answered with one {@code not authorized} error. */
        NOT_AUTHORIZED
    }

    private final Set<String> unknownPrefixes;
    private final Set<String> notAuthorizedPrefixes;

    /**
     * @param unknownPrefixes known prefixes this server treats as unknown (as the non-business
     *     cluster does {@code FMV})
     * @param notAuthorizedPrefixes prefixes outside the plan
     */
    TopicPolicy(Set<String> unknownPrefixes, Set<String> notAuthorizedPrefixes) {
        this.unknownPrefixes = Set.copyOf(unknownPrefixes);
        this.notAuthorizedPrefixes = Set.copyOf(notAuthorizedPrefixes);
    }

    /**
     * @param topic one param, trimmed, e.g. {@code T.AAPL}, {@code Q.BRK.A}, {@code AM.*}
     * @return what becomes of it
     */
    Outcome classify(String topic) {
        int dot = topic.indexOf('.');
        if (dot <= 0 || dot == topic.length() - 1) {
            return Outcome.UNKNOWN;
        }
        String prefix = topic.substring(0, dot);
        if (!KNOWN_PREFIXES.contains(prefix) || unknownPrefixes.contains(prefix)) {
            return Outcome.UNKNOWN;
        }
        if (notAuthorizedPrefixes.contains(prefix)) {
            return Outcome.NOT_AUTHORIZED;
        }
        return Outcome.ACCEPTED;
    }
}
