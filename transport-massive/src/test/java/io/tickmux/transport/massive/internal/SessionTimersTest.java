package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.spi.concurrent.Threads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket's timers on a real timer thread. Silence is measured on a clock the test moves, so what
 * the read deadline reports does not depend on how fast this machine is.
 */
class SessionTimersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final long MS = 1_000_000L;

    private final ScheduledThreadPoolExecutor timer =
            new ScheduledThreadPoolExecutor(1, Threads.named("session-timers-test"));
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger authTimeouts = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final List<Long> silences = new CopyOnWriteArrayList<>();

    SessionTimersTest() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private SessionTimers timers(Duration auth, Duration ping, Duration readDeadline) {
        return new SessionTimers(
                timer,
                clock::get,
                auth,
                ping,
                readDeadline,
                authTimeouts::incrementAndGet,
                pings::incrementAndGet,
                silences::add);
    }

    @Test
    void silenceFromTheLastReadEndsTheSocketOnce() {
        SessionTimers t = timers(NEVER, NEVER, Duration.ofMillis(20));
        clock.set(1_000 * MS);
        t.start(); // silence counts from the upgrade, not from when the timers were made
        clock.set(1_015 * MS);
        t.read();
        clock.set(1_036 * MS); // 36 ms after the upgrade, 21 ms after the read

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(silences).as("silent for").containsExactly(21 * MS));
        assertThat(timer.getQueue())
                .as("the auth timeout and the pings; the deadline does not re-arm")
                .hasSize(2);
    }

    @Test
    void theAuthTimeoutFiresUnlessTheServerAcceptedTheKey() {
        SessionTimers accepted = timers(NEVER, NEVER, NEVER);
        accepted.start();
        accepted.authenticated();
        assertThat(timer.getQueue()).as("the pings and the read deadline").hasSize(2);

        timers(Duration.ofMillis(5), NEVER, NEVER).start();
        await().atMost(WAIT).untilAsserted(() -> assertThat(authTimeouts).hasValue(1));
    }

    @Test
    void pingsRepeatUntilCancelled() {
        SessionTimers t = timers(NEVER, Duration.ofMillis(2), NEVER);
        t.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(pings).hasValueGreaterThan(2));
        t.cancel();
        assertThat(timer.getQueue()).as("nothing left after cancel").isEmpty();
        assertThat(silences).isEmpty();
    }

    @Test
    void cancelStopsTheSocketsTimersButNotItsOneShotDelays() {
        SessionTimers t = timers(NEVER, NEVER, NEVER);
        t.start();
        AtomicInteger ran = new AtomicInteger();
        t.after(Duration.ofMillis(50), ran::incrementAndGet);
        assertThat(timer.getQueue()).hasSize(4);

        t.cancel();

        await().atMost(WAIT).untilAsserted(() -> assertThat(ran).hasValue(1));
        assertThat(timer.getQueue()).isEmpty();
        assertThat(authTimeouts).hasValue(0);
        assertThat(silences).isEmpty();
    }
}
