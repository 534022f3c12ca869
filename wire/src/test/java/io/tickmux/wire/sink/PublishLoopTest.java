package io.tickmux.wire.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The publishing thread's life: how it ends when it fails, when it is stuck, when it is told. */
class PublishLoopTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SinkContext context =
            SinkContext.of(registry, Clock.systemUTC(), "tickmux.sink.fake", g -> {});

    private FakeSink sink(String name, Duration closeTimeout) {
        return new FakeSink(name, context, 16, SinkOverflow.DROP_NEWEST, closeTimeout);
    }

    private static Trade t(long seq) {
        return new Trade("A", 1, "A" + seq, 3, 1.0, 1, null, null, 1_000 + seq, -1, seq, -1, -1);
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals(name) && th.isAlive());
    }

    @Test
    void aFailingThreadCountsTheErrorShowsItAndEnds() throws Exception {
        FakeSink s = sink("failing", Duration.ofSeconds(5));
        s.throwOnPublish = new IllegalStateException("boom");
        s.connected = true;
        s.start();
        s.onEvents("c1", List.of(t(1)));
        await().until(() -> !threadAlive("tickmux-sink-failing"));
        assertThat(s.health().detail())
                .isEqualTo("last error: java.lang.IllegalStateException: boom");
        assertThat(registry.get("tickmux.sink.errors").tag("sink", "failing").counter().count())
                .isEqualTo(1);
        s.throwOnPublish = null;
        s.onEvents("c1", List.of(t(2)));
        assertThat(s.health().bufferDepth()).isEqualTo(1);
        s.close();
        assertThat(s.published).isEmpty();
    }

    @Test
    void aThreadStuckPastTheCloseTimeoutIsInterrupted() throws Exception {
        FakeSink s = sink("stuck", Duration.ofMillis(50));
        s.publishWaitsFor = new CountDownLatch(1);
        s.connected = true;
        s.start();
        s.onEvents("c1", List.of(t(1), t(2)));
        await().until(() -> s.health().bufferDepth() == 0); // taken, and waiting in publish
        s.close();
        await().until(() -> !threadAlive("tickmux-sink-stuck"));
        assertThat(s.published).isEmpty();
        assertThat(s.shutdowns).hasSize(1);
    }

    @Test
    void toldToStopWhileDisconnectedItLeavesWhatIsBuffered() throws Exception {
        FakeSink s = sink("idle", Duration.ofSeconds(30));
        s.start();
        s.onEvents("c1", List.of(t(1)));
        s.close();
        assertThat(threadAlive("tickmux-sink-idle")).isFalse();
        assertThat(s.published).isEmpty();
        assertThat(s.health().bufferDepth()).isEqualTo(1);
        assertThat(s.shutdowns).hasSize(1);
    }
}
