package io.tickmux.core.internal;

import io.tickmux.routing.ConnectionState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules that tie the manager's control state together, checked on a {@link ManagerSnapshot}.
 * Tests call {@link #check} after every operation and {@link #checkQuiet} once nothing is in
 * flight; docs/architecture.md states the same rules in prose.
 *
 * <p>Always (after any public operation or transport callback returns):
 *
 * <ol>
 *   <li><b>L1</b> a connection's acked, pending and refused sets are disjoint subsets of sent.
 *   <li><b>L2</b> nothing is both sent and awaiting its unsubscribe ack.
 *   <li><b>L3</b> a connection that is not connected has nothing on the wire: sent, acked, pending,
 *       pending-unsubscribe and refused are empty.
 *   <li><b>L4</b> a connected connection's wire matches its desired set: sent and retrying are
 *       disjoint and together equal desired (every change is reconciled before the lock is
 *       released).
 *   <li><b>L5</b> every ticker a connection desires is wanted, and the connection is that ticker's
 *       owner, secondary or move source.
 *   <li><b>T1</b> every wanted ticker's owner is a known connection that desires it.
 *   <li><b>T2</b> a secondary is a known connection other than the owner that desires the ticker,
 *       and only a critical ticker has one.
 *   <li><b>T3</b> a move source is a known connection, neither owner nor secondary, that desires
 *       the ticker.
 *   <li><b>T4</b> a fail-back home is a known connection other than the owner.
 *   <li><b>S1</b> the socket budget counts exactly the connections holding a socket, and never more
 *       than max-connections.
 * </ol>
 *
 * <p>Once quiet (no acks, refusals or reconnects in flight, every transport caught up):
 *
 * <ol>
 *   <li><b>Q1</b> a connected connection has no pending subscribe, unsubscribe or retry, and every
 *       ticker it desires is acknowledged or refused.
 *   <li><b>Q2</b> no make-before-break move is in progress between connected connections.
 *   <li><b>Q3</b> a ticker acknowledged on a connected owner or secondary has no open gap.
 * </ol>
 */
public final class Invariants {

    private Invariants() {}

    /**
     * @param s a snapshot
     * @return every rule broken, one line each naming the rule, connection and ticker; empty when
     *     all hold
     */
    public static List<String> check(ManagerSnapshot s) {
        List<String> out = new ArrayList<>();
        Map<String, ManagerSnapshot.Connection> cs = s.connections();
        int held = 0;
        for (Map.Entry<String, ManagerSnapshot.Connection> e : cs.entrySet()) {
            String id = e.getKey();
            ManagerSnapshot.Connection c = e.getValue();
            if (c.socketHeld()) {
                held++;
            }
            Set<String> refused = c.refused().keySet();
            subset(out, "L1", id, "acked", c.acked(), "sent", c.sent());
            subset(out, "L1", id, "pending", c.pending(), "sent", c.sent());
            subset(out, "L1", id, "refused", refused, "sent", c.sent());
            disjoint(out, "L1", id, "acked", c.acked(), "pending", c.pending());
            disjoint(out, "L1", id, "acked", c.acked(), "refused", refused);
            disjoint(out, "L1", id, "pending", c.pending(), "refused", refused);
            disjoint(out, "L2", id, "sent", c.sent(), "pending-unsubscribe", c.pendingUnsub());
            if (c.state() != ConnectionState.CONNECTED) {
                if (!c.sent().isEmpty()
                        || !c.acked().isEmpty()
                        || !c.pending().isEmpty()
                        || !c.pendingUnsub().isEmpty()
                        || !refused.isEmpty()) {
                    out.add(
                            "L3 "
                                    + id
                                    + " is "
                                    + c.state()
                                    + " but has wire state: sent="
                                    + c.sent()
                                    + " acked="
                                    + c.acked()
                                    + " pending="
                                    + c.pending()
                                    + " pendingUnsub="
                                    + c.pendingUnsub()
                                    + " refused="
                                    + refused);
                }
            } else {
                disjoint(out, "L4", id, "sent", c.sent(), "retrying", c.retrying());
                Set<String> wire = new HashSet<>(c.sent());
                wire.addAll(c.retrying());
                if (!wire.equals(c.desired())) {
                    out.add(
                            "L4 "
                                    + id
                                    + ": sent+retrying "
                                    + wire
                                    + " differs from desired "
                                    + c.desired());
                }
            }
            for (String sym : c.desired()) {
                if (!s.holdersOf(sym).contains(id)) {
                    ManagerSnapshot.Ticker t = s.tickers().get(sym);
                    out.add(
                            "L5 "
                                    + id
                                    + " desires "
                                    + sym
                                    + (t == null
                                            ? ", which is not wanted"
                                            : " but is not its owner, secondary or move source: "
                                                    + t));
                }
            }
        }
        held += s.retiringSockets();
        if (held != s.socketsHeld() || held > s.maxConnections()) {
            out.add(
                    "S1 socket budget counts "
                            + s.socketsHeld()
                            + ", connections holding a socket "
                            + held
                            + ", max "
                            + s.maxConnections());
        }
        for (Map.Entry<String, ManagerSnapshot.Ticker> e : s.tickers().entrySet()) {
            String sym = e.getKey();
            ManagerSnapshot.Ticker t = e.getValue();
            if (!desires(cs, t.owner(), sym)) {
                out.add("T1 " + sym + ": owner " + t.owner() + " is unknown or does not desire it");
            }
            if (t.secondary() != null
                    && (!t.critical()
                            || t.secondary().equals(t.owner())
                            || !desires(cs, t.secondary(), sym))) {
                out.add("T2 " + sym + ": bad secondary " + t);
            }
            if (t.moveFrom() != null
                    && (t.moveFrom().equals(t.owner())
                            || t.moveFrom().equals(t.secondary())
                            || !desires(cs, t.moveFrom(), sym))) {
                out.add("T3 " + sym + ": bad move source " + t);
            }
            if (t.home() != null && (t.home().equals(t.owner()) || !cs.containsKey(t.home()))) {
                out.add("T4 " + sym + ": bad home " + t);
            }
        }
        return out;
    }

    /**
     * The rules that hold once nothing is in flight, besides {@link #check}'s.
     *
     * @param s a snapshot taken when quiet
     * @return every rule broken; empty when all hold
     */
    public static List<String> checkQuiet(ManagerSnapshot s) {
        List<String> out = check(s);
        Map<String, ManagerSnapshot.Connection> cs = s.connections();
        for (Map.Entry<String, ManagerSnapshot.Connection> e : cs.entrySet()) {
            ManagerSnapshot.Connection c = e.getValue();
            if (c.state() != ConnectionState.CONNECTED) {
                continue;
            }
            Set<String> settled = new HashSet<>(c.acked());
            settled.addAll(c.refused().keySet());
            if (!c.pending().isEmpty()
                    || !c.pendingUnsub().isEmpty()
                    || !c.retrying().isEmpty()
                    || !settled.equals(c.desired())) {
                out.add(
                        "Q1 "
                                + e.getKey()
                                + " not settled: desired="
                                + c.desired()
                                + " acked="
                                + c.acked()
                                + " refused="
                                + c.refused().keySet()
                                + " pending="
                                + c.pending()
                                + " pendingUnsub="
                                + c.pendingUnsub()
                                + " retrying="
                                + c.retrying());
            }
        }
        for (Map.Entry<String, ManagerSnapshot.Ticker> e : s.tickers().entrySet()) {
            ManagerSnapshot.Ticker t = e.getValue();
            String sym = e.getKey();
            if (t.moveFrom() != null && connected(cs, t.owner()) && connected(cs, t.moveFrom())) {
                out.add("Q2 " + sym + ": move " + t.moveFrom() + " -> " + t.owner() + " stuck");
            }
            boolean covered =
                    ackedOnConnected(cs, t.owner(), sym)
                            || ackedOnConnected(cs, t.secondary(), sym);
            if (covered && t.gapOpen()) {
                out.add("Q3 " + sym + ": covered but its gap is still open: " + t);
            }
        }
        return out;
    }

    private static boolean desires(
            Map<String, ManagerSnapshot.Connection> cs, String id, String sym) {
        ManagerSnapshot.Connection c = id == null ? null : cs.get(id);
        return c != null && c.desired().contains(sym);
    }

    private static boolean connected(Map<String, ManagerSnapshot.Connection> cs, String id) {
        ManagerSnapshot.Connection c = id == null ? null : cs.get(id);
        return c != null && c.state() == ConnectionState.CONNECTED;
    }

    private static boolean ackedOnConnected(
            Map<String, ManagerSnapshot.Connection> cs, String id, String sym) {
        return connected(cs, id) && cs.get(id).acked().contains(sym);
    }

    private static void subset(
            List<String> out,
            String rule,
            String id,
            String an,
            Set<String> a,
            String bn,
            Set<String> b) {
        if (!b.containsAll(a)) {
            Set<String> extra = new HashSet<>(a);
            extra.removeAll(b);
            out.add(rule + " " + id + ": " + an + " not within " + bn + ": " + extra);
        }
    }

    private static void disjoint(
            List<String> out,
            String rule,
            String id,
            String an,
            Set<String> a,
            String bn,
            Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                out.add(rule + " " + id + ": " + x + " is both " + an + " and " + bn);
            }
        }
    }
}
