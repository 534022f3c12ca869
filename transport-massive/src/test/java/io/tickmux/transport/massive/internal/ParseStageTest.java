package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The parsing stage's hand-over: ordered, bounded, owned, and not killed by its handler. */
class ParseStageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BlockingQueue<String> handled = new LinkedBlockingQueue<>();
    private final List<RuntimeException> failures =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private ParseStage stage;

    /** Records each message; a message reading "throw" throws, one reading "block" waits. */
    private final class Recorder implements ParseStage.Handler {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void bytes(byte[] utf8, int offset, int length) {
            String s = new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8);
            if (s.equals("throw")) {
                throw new IllegalStateException("handler bug");
            }
            if (s.equals("block")) {
                try {
                    release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            handled.add(Thread.currentThread().getName() + ":" + s);
        }

        @Override
        public void text(String text) {
            handled.add(Thread.currentThread().getName() + ":text " + text);
        }

        @Override
        public void binary(int size) {
            handled.add(Thread.currentThread().getName() + ":binary " + size);
        }
    }

    private ParseStage stage(int capacity, long maxBytes, Recorder r) {
        stage = new ParseStage("tickmux-massive-parse-t1", capacity, maxBytes, r, failures::add);
        stage.start();
        return stage;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.stop(() -> {});
        }
    }

    @Test
    void messagesAreHandledOnTheNamedStageThreadInTheOrderTheyWereHandedOver() throws Exception {
        ParseStage s = stage(8, 1 << 20, new Recorder());
        int n = 50_000;
        Thread producer =
                new Thread(
                        () -> {
                            for (int i = 0; i < n; i++) {
                                if (i % 1000 == 1) {
                                    s.publishText("t" + i);
                                } else if (i % 1000 == 2) {
                                    s.publishBinary(i);
                                } else {
                                    byte[] padded = utf8("xx" + i + "yy");
                                    s.publish(padded, 2, padded.length - 4); // offsets kept
                                }
                            }
                        },
                        "test-reader");
        producer.start();
        List<String> got = new ArrayList<>();
        while (got.size() < n) {
            String h = handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(h).as("message %d", got.size()).isNotNull();
            got.add(h);
        }
        producer.join();
        for (int i = 0; i < n; i++) {
            String expected =
                    i % 1000 == 1
                            ? "text t" + i
                            : i % 1000 == 2 ? "binary " + i : Integer.toString(i);
            assertThat(got.get(i)).isEqualTo("tickmux-massive-parse-t1:" + expected);
        }
        assertThat(s.capacity()).isEqualTo(8);
    }

    @Test
    void aFullRingMakesTheReaderWaitUntilTheStageFreesASlot() throws Exception {
        Recorder r = new Recorder();
        ParseStage s = stage(4, 1 << 20, r);
        s.publish(utf8("block"), 0, 5); // holds its slot while the handler blocks
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader =
                new Thread(
                        () -> {
                            for (int i = 0; i < 10; i++) {
                                s.publish(utf8("m" + i), 0, 2);
                                published.incrementAndGet();
                            }
                            done.set(true);
                        },
                        "test-reader");
        reader.start();
        // the blocking message holds a slot; the ring takes 3 more, then the reader waits
        await().atMost(TIMEOUT).until(() -> published.get() == 3 && s.depth() == 4);
        await().atMost(TIMEOUT)
                .until(
                        () ->
                                reader.getState() == Thread.State.TIMED_WAITING
                                        || reader.getState() == Thread.State.WAITING);
        assertThat(done).isFalse();
        assertThat(published).hasValue(3);
        r.release.countDown();
        reader.join(TIMEOUT.toMillis());
        assertThat(done).isTrue();
        List<String> got = new ArrayList<>();
        while (got.size() < 11) {
            got.add(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertThat(got.get(0)).endsWith(":block");
        assertThat(got.get(10)).endsWith(":m9");
    }

    @Test
    void theRingHoldsAtMostMaxBytesButAlwaysOneMessage() throws Exception {
        Recorder r = new Recorder();
        ParseStage s = stage(64, 100, r);
        s.publish(utf8("block"), 0, 5); // 5 bytes held while the handler blocks
        byte[] big = new byte[80];
        ByteBuffer.wrap(big).put(utf8("big"));
        AtomicInteger published = new AtomicInteger();
        Thread reader =
                new Thread(
                        () -> {
                            for (int i = 0; i < 3; i++) {
                                s.publish(big, 0, 3);
                                published.incrementAndGet();
                            }
                            s.publish(new byte[500], 0, 500); // over the budget, alone
                            published.incrementAndGet();
                        },
                        "test-reader");
        reader.start();
        // 3 bytes each: all three fit in 100; the 500-byte one waits for an empty ring
        await().atMost(TIMEOUT).until(() -> published.get() == 3);
        await().atMost(TIMEOUT)
                .until(
                        () ->
                                reader.getState() == Thread.State.TIMED_WAITING
                                        || reader.getState() == Thread.State.WAITING);
        assertThat(published).hasValue(3);
        r.release.countDown();
        reader.join(TIMEOUT.toMillis());
        assertThat(published).hasValue(4);
    }

    @Test
    void aThrowingHandlerIsReportedAndTheStageGoesOn() throws Exception {
        ParseStage s = stage(8, 1 << 20, new Recorder());
        s.publish(utf8("a"), 0, 1);
        s.publish(utf8("throw"), 0, 5);
        s.publish(utf8("b"), 0, 1);
        assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).endsWith(":a");
        assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).endsWith(":b");
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("handler bug");
        assertThat(s.thread().isAlive()).isTrue();
    }

    @Test
    void stopHandlesWhatWasHandedOverThenRunsTheLastCallOnTheStageAndEnds() throws Exception {
        Recorder r = new Recorder();
        ParseStage s = stage(8, 1 << 20, r);
        s.publish(utf8("block"), 0, 5);
        s.publish(utf8("after"), 0, 5);
        s.stop(() -> handled.add(Thread.currentThread().getName() + ":last"));
        assertThat(s.publish(utf8("late"), 0, 4)).as("taken after stop").isFalse();
        r.release.countDown();
        assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).endsWith(":block");
        assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).endsWith(":after");
        assertThat(handled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("tickmux-massive-parse-t1:last");
        s.thread().join(TIMEOUT.toMillis());
        assertThat(s.thread().isAlive()).isFalse();
        assertThat(s.ended()).isTrue();
    }

    @Test
    void aStageStoppedBeforeItStartedRunsTheLastCallAtOnceAndNeverStarts() {
        ParseStage s =
                new ParseStage(
                        "tickmux-massive-parse-t2", 8, 1 << 20, new Recorder(), failures::add);
        List<String> last = new ArrayList<>();
        s.stop(() -> last.add(Thread.currentThread().getName()));
        assertThat(last).containsExactly(Thread.currentThread().getName());
        s.start();
        assertThat(s.thread().isAlive()).isFalse();
        assertThat(s.publish(utf8("x"), 0, 1)).isFalse();
    }

    @Test
    void theCapacityIsAPowerOfTwo() {
        assertThat(new ParseStage("x", 5, 1, new Recorder(), failures::add).capacity())
                .isEqualTo(8);
        assertThat(new ParseStage("x", 64, 1, new Recorder(), failures::add).capacity())
                .isEqualTo(64);
        assertThat(new ParseStage("x", 1, 1, new Recorder(), failures::add).capacity())
                .isEqualTo(2);
    }
}
