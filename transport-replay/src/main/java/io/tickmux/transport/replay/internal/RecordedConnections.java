package io.tickmux.transport.replay.internal;

import io.tickmux.spi.transport.DisconnectReason;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the recorded manager did with each connection, as the recording tells it, so the replay
 * knows what a recorded disconnect was: the recorded manager's own doing (its {@code abort()} or
 * {@code close()}: not played, the replaying manager's own calls are answered at once), a connect
 * that failed, or a connection lost.
 *
 * <p>Not thread-safe: the replay thread's.
 */
final class RecordedConnections {

    /** What a recorded disconnect is to the replay. */
    enum Disconnect {
        /** The recorded manager's own abort or close: not played. */
        NOT_PLAYED,
        /** A connect that failed: played to a connection that is connecting. */
        FAILED_CONNECT,
        /** A connection lost: played to a connection that is connected. */
        LOST
    }

    private enum Recorded {
        CONNECTING,
        CONNECTED,
        IDLE
    }

    private final Map<String, Recorded> states = new HashMap<>();
    private final Set<String> clientEnded = new HashSet<>();

    /**
     * A call the recorded manager made.
     *
     * @param c the command
     */
    void command(Entry.Command c) {
        String id = c.connectionId();
        if (c.kind() == Entry.CommandKind.CONNECT && states.get(id) != Recorded.CONNECTED) {
            states.put(id, Recorded.CONNECTING);
        } else if (c.kind() == Entry.CommandKind.ABORT || c.kind() == Entry.CommandKind.CLOSE) {
            // The disconnect this leads to is the recorded manager's doing: the replaying
            // manager's own abort() or close() reports it, so it is not played.
            clientEnded.add(id);
        }
    }

    /**
     * A recorded {@code connected}.
     *
     * @param connectionId the connection's id
     */
    void connected(String connectionId) {
        states.put(connectionId, Recorded.CONNECTED);
    }

    /**
     * A recorded disconnect.
     *
     * @param d the entry
     * @return what it is to the replay
     */
    Disconnect disconnected(Entry.Disconnected d) {
        String id = d.connectionId();
        boolean wasConnecting = states.get(id) == Recorded.CONNECTING;
        if (clientEnded.remove(id) || d.reason() == DisconnectReason.CLOSED_BY_CLIENT) {
            states.put(id, Recorded.IDLE);
            return Disconnect.NOT_PLAYED;
        }
        states.put(id, Recorded.IDLE);
        return wasConnecting ? Disconnect.FAILED_CONNECT : Disconnect.LOST;
    }

    /**
     * A state entry: a file played on its own begins mid-recording, its connections up.
     *
     * @param s the entry
     * @return whether it connects a connection the recording had not mentioned before (then it
     *     counts as connected, and the replay connects it and acknowledges what it held)
     */
    boolean resumes(Entry.State s) {
        if (s.connected() && !states.containsKey(s.connectionId())) {
            states.put(s.connectionId(), Recorded.CONNECTED);
            return true;
        }
        return false;
    }
}
