package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tickmux.spi.event.EventKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The messages a connection sends Massive: {@code {"action":"auth","params":"<key>"}}, and {@code
 * {"action":"subscribe"|"unsubscribe","params":"T.AAPL,Q.AAPL,..."}} naming every configured
 * channel of each ticker, at most {@code max-topics-per-message} topics in one message (at least
 * one ticker). Immutable.
 */
final class ControlMessages {

    private final List<EventKind> channels;
    private final int tickersPerMessage;

    /**
     * @param channels the channels subscribed for every ticker, in order (at least one)
     * @param maxTopicsPerMessage most topics in one subscribe or unsubscribe message
     */
    ControlMessages(List<EventKind> channels, int maxTopicsPerMessage) {
        this.channels = List.copyOf(channels);
        this.tickersPerMessage = Math.max(1, maxTopicsPerMessage / this.channels.size());
    }

    /**
     * @param apiKey the API key
     * @return the auth message, the key escaped as a JSON string
     */
    static String auth(String apiKey) {
        return "{\"action\":\"auth\",\"params\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(apiKey))
                + "\"}";
    }

    /**
     * @return how many topics (acks) each ticker has: one per channel
     */
    int topicsPerTicker() {
        return channels.size();
    }

    /**
     * Splits tickers into the groups sent as one message each.
     *
     * @param symbols tickers, in the order they are sent
     * @return groups of at most {@code max-topics-per-message / channels} tickers (at least one),
     *     in order
     */
    List<List<String>> groups(Collection<String> symbols) {
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>(Math.min(tickersPerMessage, symbols.size()));
        for (String s : symbols) {
            group.add(s);
            if (group.size() == tickersPerMessage) {
                groups.add(group);
                group = new ArrayList<>(tickersPerMessage);
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /**
     * @param subscribe subscribe, or unsubscribe
     * @param symbols one group of tickers ({@link #groups})
     * @return the message naming each ticker on every channel, ticker by ticker
     */
    String topics(boolean subscribe, List<String> symbols) {
        StringBuilder params = new StringBuilder(symbols.size() * channels.size() * 10);
        for (String s : symbols) {
            for (EventKind c : channels) {
                if (params.length() > 0) {
                    params.append(',');
                }
                params.append(c.channel()).append('.').append(s);
            }
        }
        return "{\"action\":\""
                + (subscribe ? "subscribe" : "unsubscribe")
                + "\",\"params\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(params))
                + "\"}";
    }
}
