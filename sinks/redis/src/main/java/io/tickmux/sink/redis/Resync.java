package io.tickmux.sink.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * After a reconnect: which unanswered stream entries were stored. Per stream, the entries are
 * appended in order, so those up to the one whose {@code id} the stream's newest entry holds were
 * stored; the rest were not. Only streams with unanswered entries are asked.
 */
final class Resync {

    /** The {@code id} field of a stream's newest entry. */
    @FunctionalInterface
    interface NewestId {
        /**
         * @param stream the stream's key
         * @return the newest entry's {@code id} field; null when the stream is empty or the entry
         *     has none
         * @throws InterruptedException when interrupted
         * @throws ExecutionException when Redis answers with an error
         * @throws TimeoutException when Redis does not answer in time
         */
        String of(String stream) throws InterruptedException, ExecutionException, TimeoutException;
    }

    private Resync() {}

    /**
     * Marks the unanswered {@code XADD}s found stored.
     *
     * @param pending the events not all answered, in publish order
     * @param newest asks a stream for its newest entry
     * @return how many entries were found stored
     * @throws InterruptedException when interrupted
     * @throws ExecutionException when Redis answers with an error
     * @throws TimeoutException when Redis does not answer in time
     */
    static int markStored(Iterable<PendingEvent> pending, NewestId newest)
            throws InterruptedException, ExecutionException, TimeoutException {
        int found = 0;
        Map<String, List<Command>> byStream = new LinkedHashMap<>();
        for (PendingEvent p : pending) {
            for (Command c : p.cmds) {
                if (c.xadd) {
                    byStream.computeIfAbsent(c.key, k -> new ArrayList<>()).add(c);
                }
            }
        }
        for (Map.Entry<String, List<Command>> e : byStream.entrySet()) {
            List<Command> cmds = e.getValue();
            int lastOk = -1;
            for (int i = 0; i < cmds.size(); i++) {
                if (cmds.get(i).ok()) {
                    lastOk = i;
                }
            }
            if (lastOk == cmds.size() - 1) {
                continue;
            }
            String id = newest.of(e.getKey());
            if (id == null) {
                continue;
            }
            for (int i = lastOk + 1; i < cmds.size(); i++) {
                if (cmds.get(i).id.equals(id)) {
                    for (int j = lastOk + 1; j <= i; j++) {
                        cmds.get(j).stored = true;
                        found++;
                    }
                    break;
                }
            }
        }
        return found;
    }
}
