package io.tickmux.transport.replay.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which subscriptions a recording answers, per connection: a subscription is answered by an ack, a
 * refusal, an ack timeout, or the acknowledged tickers of a state entry (a file that begins
 * mid-recording); an unsubscription by its ack. A replayed subscription the recording never answers
 * is acknowledged at once, as a server would.
 *
 * <p>Filled by one thread, then only read (published under the {@link ReplayStage}'s lock).
 */
final class RecordedAnswers {

    private final Map<String, Set<String>> subscribes = new HashMap<>();
    private final Map<String, Set<String>> unsubscribes = new HashMap<>();

    /**
     * Reads the control entries of a recording (market events skipped unread).
     *
     * @param files the recording, in playing order
     * @return what it answers
     */
    static RecordedAnswers scan(List<Path> files) {
        RecordedAnswers answers = new RecordedAnswers();
        try (RecordingReader r = new RecordingReader(files, true)) {
            RecordingReader.Timed t;
            while ((t = r.next()) != null) {
                answers.note(t.entry());
            }
        }
        return answers;
    }

    /**
     * Notes what an entry answers, if anything.
     *
     * @param e an entry of the recording
     */
    void note(Entry e) {
        if (e instanceof Entry.Ack a) {
            (a.subscribed() ? subscribes : unsubscribes)
                    .computeIfAbsent(a.connectionId(), k -> new HashSet<>())
                    .add(a.symbol());
        } else if (e instanceof Entry.Rejected x) {
            subscribes.computeIfAbsent(x.connectionId(), k -> new HashSet<>()).add(x.symbol());
        } else if (e instanceof Entry.AckTimeout x) {
            subscribes.computeIfAbsent(x.connectionId(), k -> new HashSet<>()).add(x.symbol());
        } else if (e instanceof Entry.State s && s.connected()) {
            subscribes.computeIfAbsent(s.connectionId(), k -> new HashSet<>()).addAll(s.acked());
        }
    }

    /**
     * @param connectionId the connection's id
     * @param symbol a ticker
     * @return whether the recording answers a subscription of the ticker on that connection
     */
    boolean answersSubscribe(String connectionId, String symbol) {
        return subscribes.getOrDefault(connectionId, Set.of()).contains(symbol);
    }

    /**
     * @param connectionId the connection's id
     * @param symbol a ticker
     * @return whether the recording answers an unsubscription of the ticker on that connection
     */
    boolean answersUnsubscribe(String connectionId, String symbol) {
        return unsubscribes.getOrDefault(connectionId, Set.of()).contains(symbol);
    }
}
