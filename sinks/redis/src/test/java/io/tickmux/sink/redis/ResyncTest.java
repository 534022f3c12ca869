package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a reconnect finds stored of the unanswered stream entries. */
class ResyncTest {

    private final List<String> asked = new ArrayList<>();

    private static Command answered(String stream, String id) {
        Command c = new Command(stream, true, id, "{}");
        c.future = CompletableFuture.completedFuture(id);
        return c;
    }

    private static Command unanswered(String stream, String id) {
        Command c = new Command(stream, true, id, "{}");
        c.future = CompletableFuture.failedFuture(new IllegalStateException("connection lost"));
        return c;
    }

    private static Command unsent(String stream, String id) {
        return new Command(stream, true, id, "{}");
    }

    private static PendingEvent event(Command... cmds) {
        return new PendingEvent(null, "", 0, List.of(cmds));
    }

    private int resync(List<PendingEvent> pending, Map<String, String> newest) throws Exception {
        return Resync.markStored(
                pending,
                stream -> {
                    asked.add(stream);
                    return newest.get(stream);
                });
    }

    @Test
    void theUnansweredEntriesUpToTheStreamsNewestWereStoredAndTheRestWereNot() throws Exception {
        Command a = answered("s", "a");
        Command b = unanswered("s", "b");
        Command c = unsent("s", "c");
        Command d = unanswered("s", "d");
        int found = resync(List.of(event(a), event(b), event(c), event(d)), Map.of("s", "c"));
        assertThat(found).isEqualTo(2);
        assertThat(List.of(b.ok(), c.ok(), d.ok())).containsExactly(true, true, false);
        assertThat(b.failed()).as("found stored: not sent again").isFalse();
    }

    @Test
    void aStreamWhoseNewestIsNoneOfTheUnansweredKeepsThemAll() throws Exception {
        Command a = answered("s", "a");
        Command b = unanswered("s", "b");
        assertThat(resync(List.of(event(a), event(b)), Map.of("s", "a"))).isZero();
        assertThat(b.ok()).isFalse();
    }

    @Test
    void anEmptyStreamKeepsThemAll() throws Exception {
        Command b = unanswered("s", "b");
        assertThat(resync(List.of(event(b)), Map.of())).isZero();
        assertThat(b.ok()).isFalse();
    }

    @Test
    void onlyStreamsWithUnansweredEntriesAreAskedAndPublishesAreLeftAlone() throws Exception {
        Command done = answered("s1", "a");
        Command publish = new Command("tickstock.all_ticks", false, null, "{}");
        Command b = unanswered("s2", "b");
        Command c = unanswered("s3", "c");
        int found =
                resync(
                        List.of(event(done, publish), event(b), event(c)),
                        Map.of("s2", "b", "s3", "x"));
        assertThat(asked).containsExactly("s2", "s3");
        assertThat(found).isEqualTo(1);
        assertThat(List.of(b.ok(), c.ok(), publish.ok())).containsExactly(true, false, false);
    }

    @Test
    void eachStreamIsMatchedOnItsOwnEntries() throws Exception {
        Command x1 = unanswered("x", "1");
        Command y1 = unanswered("y", "1");
        Command x2 = unanswered("x", "2");
        Command y2 = unanswered("y", "2");
        int found =
                resync(
                        List.of(event(x1), event(y1), event(x2), event(y2)),
                        Map.of("x", "2", "y", "1"));
        assertThat(found).isEqualTo(3);
        assertThat(List.of(x1.ok(), x2.ok(), y1.ok(), y2.ok()))
                .containsExactly(true, true, true, false);
    }
}
