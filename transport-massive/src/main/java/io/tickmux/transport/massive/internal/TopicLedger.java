package io.tickmux.transport.massive.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One socket's tickers: which it asked the server for and which it holds. The server acknowledges
 * each topic (ticker and channel) on its own; a ticker's subscribe or unsubscribe is acknowledged
 * once every one of its channels is. A subscribe still missing acks at its deadline is timed out; a
 * duplicate ack, or an ack for something not asked, is ignored.
 *
 * <p>The tickers held are those subscribed (acknowledged or not) and those being let go
 * (unsubscribe sent, its ack not yet in, so events still in flight are wanted). Only what the host
 * asked for enters, so the ledger's size is bounded by the host.
 *
 * <p>Thread-safe: asks come from host threads, acks from the parsing thread, deadlines from the
 * timer; {@link #holds} is read for every event and takes no lock.
 */
final class TopicLedger {

    /** The wildcard ticker: held, every event is wanted. */
    private static final String ALL = "*";

    private final int topicsPerTicker;
    private final Map<String, Integer> pendingSub = new HashMap<>();
    private final Map<String, Integer> pendingUnsub = new HashMap<>();

    /** Ticker to whether it is being let go (unsubscribe sent, not yet acknowledged). */
    private final Map<String, Boolean> held = new ConcurrentHashMap<>();

    /**
     * @param topicsPerTicker how many acks a ticker's subscribe or unsubscribe takes: one per
     *     channel
     */
    TopicLedger(int topicsPerTicker) {
        this.topicsPerTicker = topicsPerTicker;
    }

    /**
     * Records a subscribe or unsubscribe about to be sent: each ticker now waits for one ack per
     * channel (a second ask replaces the first's count). A subscribed ticker is held; a ticker let
     * go is held until its unsubscribe is acknowledged.
     *
     * @param subscribe subscribe, or unsubscribe
     * @param symbols the tickers
     */
    synchronized void asked(boolean subscribe, List<String> symbols) {
        Map<String, Integer> pending = subscribe ? pendingSub : pendingUnsub;
        for (String s : symbols) {
            pending.put(s, topicsPerTicker);
            if (subscribe) {
                held.put(s, Boolean.FALSE);
            } else {
                held.computeIfPresent(s, (k, v) -> Boolean.TRUE);
            }
        }
    }

    /**
     * @param symbol an event's ticker
     * @return whether the socket holds it, or holds the wildcard
     */
    boolean holds(String symbol) {
        return held.containsKey(symbol) || held.containsKey(ALL);
    }

    /**
     * Counts one topic's ack. When a ticker's unsubscribe is complete, the ticker is no longer held
     * (unless it was subscribed again meanwhile).
     *
     * @param subscribed a subscribe's ack, or an unsubscribe's
     * @param symbol the topic's ticker
     * @return whether this was the ticker's last ack still missing; {@code false} for a partial
     *     ack, a duplicate, or an ack for something not asked
     */
    boolean acked(boolean subscribed, String symbol) {
        synchronized (this) {
            Map<String, Integer> pending = subscribed ? pendingSub : pendingUnsub;
            Integer left = pending.get(symbol);
            if (left == null) {
                return false;
            }
            if (left > 1) {
                pending.put(symbol, left - 1);
                return false;
            }
            pending.remove(symbol);
        }
        if (!subscribed) {
            held.remove(symbol, Boolean.TRUE);
        }
        return true;
    }

    /**
     * Ends the wait for the acks of a subscribe whose deadline passed: tickers still missing acks
     * are forgotten (a late ack is then ignored) and returned.
     *
     * @param symbols the tickers of one subscribe message
     * @return each of them still missing acks, in order, with how many topics are missing
     */
    synchronized Map<String, Integer> expire(List<String> symbols) {
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (String s : symbols) {
            Integer left = pendingSub.remove(s);
            if (left != null) {
                missing.put(s, left);
            }
        }
        return missing;
    }

    /** Forgets every ack still awaited (the socket ended); the tickers held stay. */
    synchronized void forgetPending() {
        pendingSub.clear();
        pendingUnsub.clear();
    }
}
