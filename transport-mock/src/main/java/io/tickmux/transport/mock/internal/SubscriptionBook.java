package io.tickmux.transport.mock.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.transport.TransportListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * What a mock connection's server holds for the session: the symbols it carries out subscriptions
 * for, which of them it has not acknowledged yet (in the order they were sent), and the symbols it
 * refuses. It decides the server's replies to each subscription message. A new session or an ended
 * one {@link #clear()}s the subscriptions; refusals and the ack settings stay. Not thread-safe: the
 * connection's lock guards it.
 */
public final class SubscriptionBook {

    /**
     * One reply of the server to a subscription message.
     *
     * @param symbol the ticker
     * @param subscribe whether it answers a subscribe (else an unsubscribe)
     * @param refusal the server's words when it refuses the symbol, else {@code null}: an ack
     */
    public record Reply(String symbol, boolean subscribe, String refusal) {

        /**
         * @param symbol the ticker
         * @param subscribe subscribe or unsubscribe
         * @param refusal the refusal, or {@code null} for an ack
         */
        public Reply {
            requireNonNull(symbol, "symbol is null");
        }

        /**
         * Tells the host: {@link TransportListener#onRejected} for a refusal, else {@link
         * TransportListener#onAck}.
         *
         * @param listener the host's listener
         */
        public void deliverTo(TransportListener listener) {
            if (refusal != null) {
                listener.onRejected(symbol, refusal);
            } else {
                listener.onAck(symbol, subscribe);
            }
        }
    }

    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final Set<String> unacked = new LinkedHashSet<>();
    private final Map<String, String> rejections = new HashMap<>();
    private boolean autoAck;
    private boolean dropUnsubscribeAcks;

    /**
     * @param autoAck whether subscriptions are acknowledged at once
     */
    public SubscriptionBook(boolean autoAck) {
        this.autoAck = autoAck;
    }

    /**
     * Carries out a subscribe message. A symbol refused on this connection, or else by {@code
     * sharedRefusal}, gets a refusal and is not subscribed; the others are subscribed and
     * acknowledged at once, or held unacknowledged while auto-ack is off.
     *
     * @param symbols the tickers, in the order sent
     * @param sharedRefusal refusals made for every connection: the server's words, or {@code null}
     * @return the replies, in the order of {@code symbols}
     */
    public List<Reply> subscribe(List<String> symbols, Function<String, String> sharedRefusal) {
        List<Reply> replies = new ArrayList<>();
        for (String s : symbols) {
            String refusal = rejections.get(s);
            if (refusal == null) {
                refusal = sharedRefusal.apply(s);
            }
            if (refusal != null) {
                replies.add(new Reply(s, true, refusal));
                continue;
            }
            subscriptions.add(s);
            if (autoAck) {
                unacked.remove(s);
                replies.add(new Reply(s, true, null));
            } else {
                unacked.add(s);
            }
        }
        return replies;
    }

    /**
     * Carries out an unsubscribe message: each symbol is dropped (an unacknowledged subscription
     * too) and acknowledged, unless unsubscribe acks are dropped.
     *
     * @param symbols the tickers, in the order sent
     * @return the replies, in the order of {@code symbols}
     */
    public List<Reply> unsubscribe(List<String> symbols) {
        List<Reply> replies = new ArrayList<>();
        for (String s : symbols) {
            subscriptions.remove(s);
            unacked.remove(s);
            if (!dropUnsubscribeAcks) {
                replies.add(new Reply(s, false, null));
            }
        }
        return replies;
    }

    /**
     * @param symbol a ticker
     * @return whether the server sends events for it: it holds a subscription for it or for {@code
     *     *}
     */
    public boolean sends(String symbol) {
        return subscriptions.contains(symbol) || subscriptions.contains("*");
    }

    /**
     * Acknowledges unacknowledged subscriptions: at most {@code max} of them, in the order they
     * were sent or shuffled by {@code order}. The others stay unacknowledged.
     *
     * @param order the shuffle, or {@code null} for the order they were sent
     * @param max how many at most
     * @return the symbols acknowledged, in the order to acknowledge them
     */
    public List<String> takeUnacked(Random order, int max) {
        List<String> acks = new ArrayList<>(unacked);
        if (order != null) {
            Collections.shuffle(acks, order);
        }
        if (acks.size() > max) {
            acks = new ArrayList<>(acks.subList(0, max));
        }
        acks.forEach(unacked::remove);
        return acks;
    }

    /**
     * The host's ack timer fired for every unacknowledged subscription: the server forgets them.
     *
     * @return the symbols forgotten, in the order they were sent
     */
    public List<String> forgetUnacked() {
        List<String> late = new ArrayList<>(unacked);
        unacked.clear();
        late.forEach(subscriptions::remove);
        return late;
    }

    /** The session ended or began: no subscriptions, none unacknowledged. */
    public void clear() {
        subscriptions.clear();
        unacked.clear();
    }

    /**
     * Refuses subscriptions of a symbol from now on.
     *
     * @param symbol the ticker
     * @param reason the server's words
     */
    public void reject(String symbol, String reason) {
        rejections.put(symbol, reason);
    }

    /**
     * Accepts subscriptions of a symbol again.
     *
     * @param symbol the ticker
     */
    public void unreject(String symbol) {
        rejections.remove(symbol);
    }

    /**
     * Accepts every symbol refused with {@link #reject} again.
     *
     * @return the symbols that were refused
     */
    public Set<String> unrejectAll() {
        Set<String> was = Set.copyOf(rejections.keySet());
        rejections.clear();
        return was;
    }

    /**
     * @param on whether subscriptions are acknowledged at once from now on
     */
    public void autoAck(boolean on) {
        autoAck = on;
    }

    /**
     * @param on whether unsubscribes go unacknowledged from now on
     */
    public void dropUnsubscribeAcks(boolean on) {
        dropUnsubscribeAcks = on;
    }

    /**
     * @return the symbols subscribed now
     */
    public Set<String> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    /**
     * @return the subscriptions not acknowledged yet
     */
    public Set<String> unacked() {
        return Set.copyOf(unacked);
    }
}
