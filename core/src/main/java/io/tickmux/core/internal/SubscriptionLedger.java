package io.tickmux.core.internal;

import io.tickmux.routing.ConnectionState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one connection should carry and what its current socket carries. Guarded by the manager's
 * lock; no I/O: {@link #diff()} says what to send and the caller sends it.
 *
 * <p>A desired ticker is, on a connected socket, in exactly one of these states: <i>retrying</i>
 * (held back until a scheduled retry after an ack timeout, or until the answer to an earlier
 * subscribe of it is in), <i>pending</i> (sent, not yet acknowledged), <i>acked</i> or
 * <i>refused</i> (the server said no, or every retry timed out). Pending, acked and refused
 * together are <i>sent</i>.
 *
 * <p>An answer names the ticker, not the message it answers, and the server answers in order. A
 * ticker let go while its subscribe was pending may still get that subscribe's answer (ack, refusal
 * or ack timeout) after the unsubscribe went out: until that answer or the unsubscribe's own ack is
 * in (acks of earlier unsubscribes of the ticker come before it), or the unsubscribe is given up,
 * the answer is <i>owed</i>. A new subscribe of the ticker is held back meanwhile, so that the owed
 * answer is never taken for the new one's: a late refusal used to leave a ticker refused that the
 * server carried.
 *
 * <p>Invariants (checked by {@link Invariants} as L1 to L4):
 *
 * <ul>
 *   <li>acked, pending and refused are disjoint and within sent;
 *   <li>nothing is both sent and awaiting its unsubscribe ack;
 *   <li>while the socket is down, nothing is on the wire ({@link #reset()} on every connect and
 *       disconnect);
 *   <li>while connected, after {@link #diff()}, sent and retrying are disjoint and together equal
 *       desired.
 * </ul>
 */
final class SubscriptionLedger {

    /** What a {@link #diff()} says to send. */
    record Diff(List<String> subscribe, List<String> unsubscribe) {
        boolean isEmpty() {
            return subscribe.isEmpty() && unsubscribe.isEmpty();
        }
    }

    /** What an ack timeout leads to. */
    enum Timeout {
        /** Not pending on this socket: a stale report, ignored. */
        IGNORED,
        /** Held back; send again after the returned attempt's delay. */
        RETRY,
        /** Every retry used: now refused. */
        REFUSED
    }

    /**
     * An answer owed to a subscribe let go while pending.
     *
     * @param unsubAcks how many unsubscribe acks of the ticker until the one that let it go
     * @param unsubSentAt when that unsubscribe was sent, for giving it up
     */
    private record Owed(int unsubAcks, long unsubSentAt) {}

    private final LinkedHashSet<String> desired = new LinkedHashSet<>();
    private final Set<String> sent = new LinkedHashSet<>();
    private final Set<String> acked = new LinkedHashSet<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private final Map<String, String> refused = new LinkedHashMap<>();
    private final Set<String> retrying = new LinkedHashSet<>();
    private final Map<String, Integer> timeouts = new HashMap<>();
    private final Map<String, Long> pendingUnsub = new LinkedHashMap<>();

    /** Unsubscribes of each ticker sent on this socket and not yet acknowledged. */
    private final Map<String, Integer> unsubsUnanswered = new HashMap<>();

    /** Let go while their subscribe was pending, that subscribe's answer still to come. */
    private final Map<String, Owed> owed = new HashMap<>();

    /** Desired again while an answer is owed: held back (in retrying) until it is in. */
    private final Set<String> heldForAnswer = new LinkedHashSet<>();

    /** The tickers this connection should carry, in the order they were added. */
    Set<String> desired() {
        return desired;
    }

    boolean wants(String symbol) {
        return desired.contains(symbol);
    }

    int size() {
        return desired.size();
    }

    void want(String symbol) {
        desired.add(symbol);
    }

    /** Stops wanting a ticker; the next {@link #diff()} unsubscribes it if it was sent. */
    void release(String symbol) {
        desired.remove(symbol);
        retrying.remove(symbol);
        heldForAnswer.remove(symbol);
        timeouts.remove(symbol);
    }

    boolean isAcked(String symbol) {
        return acked.contains(symbol);
    }

    Set<String> acked() {
        return acked;
    }

    int pendingCount() {
        return pending.size() + pendingUnsub.size() + retrying.size();
    }

    Map<String, String> refused() {
        return refused;
    }

    /**
     * Whether every desired ticker is settled on this socket: acknowledged or refused, with nothing
     * pending, retrying or awaiting an unsubscribe ack.
     */
    boolean settled() {
        return pending.isEmpty()
                && pendingUnsub.isEmpty()
                && retrying.isEmpty()
                && acked.size() + refused.size() == desired.size()
                && sent.equals(desired);
    }

    /**
     * The difference between desired and sent, applied to the ledger as if sent: new tickers become
     * pending, dropped ones await their unsubscribe ack from {@code nowMillis}.
     */
    Diff diff(long nowMillis) {
        List<String> unsub = new ArrayList<>();
        for (Iterator<String> it = sent.iterator(); it.hasNext(); ) {
            String s = it.next();
            if (!desired.contains(s)) {
                it.remove();
                acked.remove(s);
                int unanswered = unsubsUnanswered.merge(s, 1, Integer::sum);
                if (pending.remove(s)) {
                    owed.put(s, new Owed(unanswered, nowMillis));
                }
                refused.remove(s);
                pendingUnsub.put(s, nowMillis);
                unsub.add(s);
            }
        }
        List<String> sub = new ArrayList<>();
        for (String s : desired) {
            if (!sent.contains(s) && !retrying.contains(s)) {
                if (owed.containsKey(s)) {
                    retrying.add(s);
                    heldForAnswer.add(s);
                    continue;
                }
                sent.add(s);
                pending.add(s);
                pendingUnsub.remove(s);
                sub.add(s);
            }
        }
        return new Diff(sub, unsub);
    }

    /**
     * A subscribe ack.
     *
     * @return whether it acknowledged a pending subscription of this socket
     */
    boolean ack(String symbol) {
        if (pending.remove(symbol)) {
            acked.add(symbol);
            timeouts.remove(symbol);
            return true;
        }
        return false;
    }

    /**
     * An answer (ack, refusal or ack timeout) for a ticker whose subscribe was let go before it was
     * answered: that subscribe's answer, which says nothing about a later subscribe of the ticker.
     * A subscribe held back for it is due now (the next {@link #diff} sends it).
     *
     * @return whether the answer was owed so (the caller ignores it)
     */
    boolean answerOwed(String symbol) {
        if (owed.remove(symbol) == null) {
            return false;
        }
        releaseHeld(symbol);
        return true;
    }

    /**
     * An unsubscribe ack. Answers come in order: once the ack of the unsubscribe that let go a
     * pending subscribe is in, that subscribe's answer came before it or never will; a subscribe
     * held back for it is due now.
     */
    void unsubscribed(String symbol) {
        pendingUnsub.remove(symbol);
        unsubsUnanswered.computeIfPresent(symbol, (k, n) -> n > 1 ? n - 1 : null);
        Owed o = owed.get(symbol);
        if (o == null) {
            return;
        }
        if (o.unsubAcks() > 1) {
            owed.put(symbol, new Owed(o.unsubAcks() - 1, o.unsubSentAt()));
        } else {
            owed.remove(symbol);
            releaseHeld(symbol);
        }
    }

    private void releaseHeld(String symbol) {
        if (heldForAnswer.remove(symbol)) {
            retrying.remove(symbol);
        }
    }

    /**
     * The server refused a subscription.
     *
     * @return whether it was pending or acknowledged on this socket (else a stale answer)
     */
    boolean refuse(String symbol, String reason) {
        if (!sent.contains(symbol)) {
            return false;
        }
        pending.remove(symbol);
        acked.remove(symbol);
        refused.put(symbol, reason);
        return true;
    }

    /**
     * A subscription was not acknowledged in time: hold it back for a retry, or refuse it once
     * {@code maxRetries} retries were used.
     */
    Timeout timedOut(String symbol, int maxRetries, String detail) {
        if (!pending.contains(symbol)) {
            return Timeout.IGNORED;
        }
        int n = timeouts.merge(symbol, 1, Integer::sum);
        if (n > maxRetries) {
            timeouts.remove(symbol);
            refuse(
                    symbol,
                    detail
                            + (maxRetries == 0
                                    ? ""
                                    : "; sent " + (maxRetries + 1) + " times, never acknowledged"));
            return Timeout.REFUSED;
        }
        pending.remove(symbol);
        sent.remove(symbol);
        retrying.add(symbol);
        return Timeout.RETRY;
    }

    /** How many ack timeouts a retrying ticker had; 1 for its first retry. */
    int timeouts(String symbol) {
        return timeouts.getOrDefault(symbol, 0);
    }

    /**
     * A retry is due: the ticker goes out at the next {@link #diff()}.
     *
     * @return whether it was still waiting for this retry
     */
    boolean retryDue(String symbol) {
        return !heldForAnswer.contains(symbol) && retrying.remove(symbol);
    }

    /**
     * Gives up unsubscribes sent at or before a time, and the answers owed to the subscribes they
     * let go (even when the record of the unsubscribe went with an earlier one's ack): a subscribe
     * held back for one is due now (the next {@link #diff} sends it).
     *
     * @return the tickers whose unsubscribe was given up
     */
    List<String> expireUnsubscribes(long sentAtOrBefore) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = pendingUnsub.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() <= sentAtOrBefore) {
                out.add(e.getKey());
                it.remove();
                unsubsUnanswered.remove(e.getKey());
            }
        }
        for (Iterator<Map.Entry<String, Owed>> it = owed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Owed> e = it.next();
            if (e.getValue().unsubSentAt() <= sentAtOrBefore) {
                it.remove();
                releaseHeld(e.getKey());
            }
        }
        return out;
    }

    /** A new socket, or none: nothing is on the wire any more; desired stays. */
    void reset() {
        sent.clear();
        acked.clear();
        pending.clear();
        refused.clear();
        retrying.clear();
        timeouts.clear();
        pendingUnsub.clear();
        unsubsUnanswered.clear();
        owed.clear();
        heldForAnswer.clear();
    }

    ManagerSnapshot.Connection snapshot(ConnectionState state, boolean held) {
        return new ManagerSnapshot.Connection(
                state,
                held,
                Set.copyOf(desired),
                Set.copyOf(sent),
                Set.copyOf(acked),
                Set.copyOf(pending),
                Set.copyOf(pendingUnsub.keySet()),
                Map.copyOf(refused),
                Set.copyOf(retrying));
    }
}
