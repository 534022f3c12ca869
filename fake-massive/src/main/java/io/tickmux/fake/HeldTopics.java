package io.tickmux.fake;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The topics one session holds, e.g. {@code T.AAPL}, {@code Q.BRK.A}, {@code AM.*} (reference §3.1:
 * the ticker is everything after the first dot; {@code *} is the channel's wildcard). Thread-safe.
 */
final class HeldTopics {

    private final Set<String> topics = new LinkedHashSet<>();

    /**
     * @param topic a topic to hold
     * @return whether it is new (a topic already held gets no second ack)
     */
    synchronized boolean add(String topic) {
        return topics.add(topic);
    }

    /**
     * @param topic a topic to let go of; nothing happens when it is not held
     */
    synchronized void remove(String topic) {
        topics.remove(topic);
    }

    /**
     * @return a copy of the topics held
     */
    synchronized Set<String> topics() {
        return Set.copyOf(topics);
    }

    /**
     * @return the tickers held on at least one channel, a wildcard as {@code *}
     */
    synchronized Set<String> tickers() {
        Set<String> out = new LinkedHashSet<>();
        for (String t : topics) {
            out.add(t.substring(t.indexOf('.') + 1));
        }
        return out;
    }

    /**
     * @param channel a channel prefix, e.g. {@code T}
     * @param ticker a ticker
     * @return whether the ticker's events on the channel are wanted: its topic or the channel's
     *     wildcard is held
     */
    synchronized boolean wants(String channel, String ticker) {
        return topics.contains(channel + "." + ticker) || topics.contains(channel + ".*");
    }
}
