package io.tickmux.transport.replay;

import java.time.Duration;
import java.util.List;

/**
 * What a replay played, at its end.
 *
 * @param files recording files
 * @param completeFiles files read to their end marker
 * @param corruptFiles files cut short or corrupt: what they held up to the fault was played
 * @param problems one line per such file, naming it and the fault
 * @param entries entries read
 * @param eventsDelivered market events handed to the manager
 * @param eventsFiltered market events not handed over: their ticker was not subscribed on the
 *     replayed connection, or the connection was not connected (as a real server would not send
 *     them)
 * @param recordedDrops entries the recorder could not record (its buffer was full): the recording
 *     has holes there
 * @param skippedAnswers recorded answers (connected, acks, refusals) skipped because the manager
 *     did not ask for them within the gate timeout
 * @param recordedSpan from the first to the last entry played, in recorded time
 */
public record ReplayReport(
        int files,
        int completeFiles,
        int corruptFiles,
        List<String> problems,
        long entries,
        long eventsDelivered,
        long eventsFiltered,
        long recordedDrops,
        long skippedAnswers,
        Duration recordedSpan) {

    public ReplayReport {
        problems = List.copyOf(problems);
    }

    /**
     * @return one line for a log or a status message
     */
    public String summary() {
        return "end of recording: "
                + eventsDelivered
                + " events played ("
                + eventsFiltered
                + " not subscribed), "
                + entries
                + " entries from "
                + files
                + " file(s) spanning "
                + recordedSpan
                + (corruptFiles > 0
                        ? "; " + corruptFiles + " file(s) cut short or corrupt: " + problems
                        : "")
                + (recordedDrops > 0
                        ? "; the recorder had dropped " + recordedDrops + " entries"
                        : "")
                + (skippedAnswers > 0
                        ? "; "
                                + skippedAnswers
                                + " recorded answers skipped (the manager did not ask for them)"
                        : "");
    }
}
