package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryLoopTest {

    /** Reports its thread, then loops until stopped, handing each round over. */
    private static final class Rounds extends DeliveryLoop {
        final BlockingQueue<Thread> started = new ArrayBlockingQueue<>(1);
        final BlockingQueue<Integer> rounds = new ArrayBlockingQueue<>(1);

        @Override
        public void run() {
            started.add(Thread.currentThread());
            int n = 0;
            while (running()) {
                try {
                    rounds.offer(++n, 10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Test
    void theLoopRunsOnOneNamedDaemonThreadUntilStoppedAndStopWaitsForIt() throws Exception {
        Rounds loop = new Rounds();
        loop.start("tickmux-consumer-test");
        Thread thread = loop.started.poll(10, TimeUnit.SECONDS);
        assertThat(thread).isNotNull();
        assertThat(thread.getName()).isEqualTo("tickmux-consumer-test");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(loop.rounds.poll(10, TimeUnit.SECONDS)).as("it loops").isNotNull();

        loop.stop(Duration.ofSeconds(10));

        assertThat(thread.isAlive()).as("stopped and waited for").isFalse();
    }

    @Test
    void aLoopNeverStartedStopsAtOnce() {
        Rounds loop = new Rounds();
        loop.stop(Duration.ofSeconds(10));

        assertThat(loop.running()).isFalse();
    }
}
