package io.tickmux.transport.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> errors = new CopyOnWriteArrayList<>();

    @Test
    void tasksRunInOrderOnTheConnectionsNamedThread() {
        Wire wire = new Wire("c1", errors::add);
        for (int i = 0; i < 100; i++) {
            int n = i;
            wire.enqueue(() -> ran.add(n + " " + Thread.currentThread().getName()));
        }

        wire.flush(TIMEOUT);

        assertThat(ran).hasSize(100).allMatch(s -> s.endsWith(" tickmux-mock-c1"));
        assertThat(ran.get(0)).startsWith("0 ");
        assertThat(ran.get(99)).startsWith("99 ");
        wire.stop();
    }

    @Test
    void aTaskThatThrowsGoesToTheErrorSinkAndTheNextOneRuns() {
        Wire wire = new Wire("c1", errors::add);
        wire.enqueue(
                () -> {
                    throw new IllegalStateException("listener bug");
                });
        wire.enqueue(() -> ran.add("after"));

        wire.flush(TIMEOUT);

        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("listener bug"));
        assertThat(ran).containsExactly("after");
        wire.stop();
    }

    @Test
    void stopRunsWhatWasQueuedBeforeItAndDropsWhatComesAfter() {
        Wire wire = new Wire("c1", errors::add);
        wire.enqueue(() -> ran.add("before"));
        wire.stop();
        wire.flush(TIMEOUT); // returns once the thread has stopped

        wire.enqueue(() -> ran.add("after"));
        wire.flush(TIMEOUT);

        assertThat(ran).containsExactly("before");
    }

    @Test
    void flushFailsWhenATaskHoldsTheWireLongerThanTheTimeout() throws InterruptedException {
        Wire wire = new Wire("c1", errors::add);
        CountDownLatch release = new CountDownLatch(1);
        wire.enqueue(
                () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });

        assertThatThrownBy(() -> wire.flush(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("mock connection c1 did not flush in PT0.02S");

        release.countDown();
        wire.flush(TIMEOUT);
        wire.stop();
    }
}
