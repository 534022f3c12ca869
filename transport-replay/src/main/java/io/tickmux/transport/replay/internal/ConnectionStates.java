package io.tickmux.transport.replay.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each recorded connection holds (up or down, the tickers acknowledged on it), followed from
 * the entries written, so that every file after a rotation begins with a state entry per connection
 * ({@link Entry.State}) and can be played on its own.
 *
 * <p>Not thread-safe: the recorder's writer thread's.
 */
final class ConnectionStates {

    /** One connection. */
    private static final class Held {
        boolean connected;
        final Set<String> acked = new LinkedHashSet<>();
    }

    private final Map<String, Held> held = new HashMap<>();

    /**
     * Follows an entry that was written.
     *
     * @param e the entry
     */
    void track(Entry e) {
        if (e.connectionId().isEmpty()) {
            return;
        }
        Held h = held.computeIfAbsent(e.connectionId(), k -> new Held());
        if (e instanceof Entry.Connected) {
            h.connected = true;
            h.acked.clear();
        } else if (e instanceof Entry.Disconnected) {
            h.connected = false;
            h.acked.clear();
        } else if (e instanceof Entry.Ack a) {
            if (a.subscribed()) {
                h.acked.add(a.symbol());
            } else {
                h.acked.remove(a.symbol());
            }
        }
    }

    /**
     * @param nanos the receive time the entries carry
     * @return a state entry for every connection seen so far
     */
    List<Entry.State> states(long nanos) {
        List<Entry.State> out = new ArrayList<>(held.size());
        for (Map.Entry<String, Held> h : held.entrySet()) {
            out.add(
                    new Entry.State(
                            h.getKey(),
                            nanos,
                            h.getValue().connected,
                            new LinkedHashSet<>(h.getValue().acked)));
        }
        return out;
    }
}
