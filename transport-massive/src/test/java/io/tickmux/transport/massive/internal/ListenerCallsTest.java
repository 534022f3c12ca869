package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.concurrent.Threads;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host's calls, one at a time and in order; only the parsing thread waits for the lock, any
 * other thread's call is queued and run by the lock's holder.
 */
class ListenerCallsTest {

    private static final long WAIT_SECONDS = 30;

    private final ListenerCalls calls = new ListenerCalls("c1");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService threads =
            Executors.newFixedThreadPool(2, Threads.named("listener-calls-test"));

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Records a call and the thread it ran on. */
    private Runnable record(String what) {
        return () -> seen.add(what + " on " + Thread.currentThread().getName());
    }

    @Test
    void aCallFromTheThreadHoldingTheLockRunsAtOnce() {
        calls.lock();
        try {
            calls.call(record("inline"));
            assertThat(seen).hasSize(1);
        } finally {
            calls.unlock();
        }
    }

    @Test
    void aCallWhileTheLockIsFreeRunsAtOnce() {
        calls.call(record("a"));
        calls.call(record("b"));

        String me = Thread.currentThread().getName();
        assertThat(seen).containsExactly("a on " + me, "b on " + me);
    }

    @Test
    void callsFromOtherThreadsDoNotWaitAndRunInOrderWhenTheHolderLetsGo() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder =
                CompletableFuture.supplyAsync(
                        () -> {
                            calls.lock();
                            try {
                                locked.countDown();
                                await(release);
                                calls.call(record("holder's own"));
                            } finally {
                                calls.unlock();
                            }
                            calls.drain();
                            return Thread.currentThread().getName();
                        },
                        threads);
        assertThat(locked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture.runAsync(
                        () -> {
                            calls.call(record("timer 1"));
                            calls.call(record("timer 2"));
                        },
                        threads)
                .get(WAIT_SECONDS, TimeUnit.SECONDS); // returned while the lock is held
        assertThat(seen).as("nothing runs while the holder is busy").isEmpty();
        release.countDown();

        String h = holder.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(seen)
                .containsExactly("holder's own on " + h, "timer 1 on " + h, "timer 2 on " + h);
    }

    @Test
    void aCallThatThrowsIsLoggedAndTheNextGoesOn() throws Exception {
        Runnable bug =
                () -> {
                    throw new IllegalStateException("listener bug");
                };
        calls.call(bug); // the lock is free: runs at once, and the caller is not hurt
        calls.lock();
        CompletableFuture.runAsync(
                        () -> {
                            calls.call(bug);
                            calls.call(record("next"));
                        },
                        threads)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        calls.unlock();
        calls.drain();

        assertThat(seen).hasSize(1).allMatch(s -> s.startsWith("next on "));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
