package io.tickmux.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.sink.nats.NatsSink;
import io.tickmux.sink.nats.NatsSinkSettings;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.transport.mock.MockEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against the real NATS on 127.0.0.1:4222 (started by {@code .ci/run} when down), fed
 * by a real NATS sink: it counts every event and gap once, and with {@code --state} a second run
 * continues the counts exactly.
 */
class ConsumerExampleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long T0 = 1_767_366_000_000L;

    @TempDir Path dir;

    private final String id =
            "x" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String prefix = "tmx" + id;
    private final String stream = "TMX_" + id.toUpperCase(Locale.ROOT);
    private String url;
    private NatsSink sink;

    @BeforeEach
    void gateway() throws Exception {
        url = NatsServers.shared();
        NatsSinkSettings s =
                NatsSinkSettings.from(
                        ConfigFactory.parseString(
                                        "url = \""
                                                + url
                                                + "\", subject-prefix = "
                                                + prefix
                                                + ", stream.name = "
                                                + stream
                                                + ", stream.storage = memory")
                                .withFallback(
                                        ConfigFactory.defaultReference()
                                                .getConfig(NatsSinkSettings.PATH)));
        sink =
                new NatsSink(
                        s,
                        SinkContext.of(
                                new SimpleMeterRegistry(),
                                Clock.systemUTC(),
                                NatsSinkSettings.PATH,
                                g -> {}));
        sink.start();
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    /** Trades number from..to (inclusive) for each ticker. */
    private void publish(int from, int to, String... tickers) {
        for (int r = from; r <= to; r++) {
            List<MarketEvent> round = new ArrayList<>();
            for (String t : tickers) {
                round.add(MockEvents.trade(t, r, T0 + r));
            }
            sink.onEvents("connection_1", round);
        }
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(sink.health().published())
                                        .isGreaterThanOrEqualTo((long) to * tickers.length));
    }

    /** A run of the example in the background, stopped by the test. */
    private final class Run {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        final CountDownLatch stop = new CountDownLatch(1);
        final CompletableFuture<Integer> exit;

        Run(String... extra) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--nats",
                                    url,
                                    "--stream",
                                    stream,
                                    "--prefix",
                                    prefix,
                                    "--durable",
                                    "d" + id,
                                    "--every",
                                    "100ms"));
            args.addAll(List.of(extra));
            exit =
                    CompletableFuture.supplyAsync(
                            () ->
                                    ConsumerExample.run(
                                            args.toArray(String[]::new), Map.of(), out, out, stop));
        }

        String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }

        void awaitLine(String fragment) {
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(text()).as("output").contains(fragment));
        }

        String stop() throws Exception {
            stop.countDown();
            assertThat(exit.get()).isZero();
            return text();
        }
    }

    @Test
    void countsEveryEventAndGapOncePerTicker() throws Exception {
        publish(1, 40, "AAPL", "MSFT");
        publish(41, 50, "AAPL");
        sink.onStatus(
                new StatusEvent.Gap(
                        "NVDA",
                        "connection_2",
                        Instant.ofEpochMilli(T0),
                        Instant.ofEpochMilli(T0 + 900),
                        "abort (1006)",
                        Instant.ofEpochMilli(T0 + 1_000)));
        Run run = new Run();
        run.awaitLine(" 90 events");
        String out = run.stop();
        assertThat(out)
                .contains("reading JetStream " + stream)
                .contains("busiest: AAPL 50, MSFT 40")
                .contains("3 tickers, 1 gaps")
                .contains("gap: NVDA ")
                .contains("(abort (1006))")
                .contains("consumer stopped");
    }

    @Test
    void withStateASecondRunContinuesTheCountsExactly() throws Exception {
        Path state = dir.resolve("counts.ckpt");
        publish(1, 30, "AAPL", "MSFT");
        Run first = new Run("--state", state.toString());
        first.awaitLine(" 60 events");
        first.stop();

        publish(31, 45, "AAPL", "MSFT");
        Run second = new Run("--state", state.toString());
        second.awaitLine(" 90 events");
        String out = second.stop();
        assertThat(out)
                .contains("resuming after position 60")
                .contains("busiest: AAPL 45, MSFT 45")
                .doesNotContain(" 91 events")
                .doesNotContain(" 120 events");
    }

    @Test
    void badArgumentsAreAllNamedWithTheUsage() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(b, true, StandardCharsets.UTF_8);
        int code =
                ConsumerExample.run(
                        new String[] {
                            "--every",
                            "soon",
                            "--top",
                            "-1",
                            "--redis",
                            "redis://x",
                            "--state",
                            "f",
                            "--bogus",
                            "1"
                        },
                        Map.of(),
                        err,
                        err,
                        new CountDownLatch(0));
        assertThat(code).isEqualTo(2);
        assertThat(b.toString(StandardCharsets.UTF_8))
                .contains("--every takes a duration such as 500ms, 30s or 2m, was 'soon'")
                .contains("--top must be 0 or more, was -1")
                .contains("--state works with NATS only")
                .contains("unknown option --bogus")
                .contains("usage: consumer");
    }

    @Test
    void anUnreachableBusIsAClearErrorNotAHang() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(b, true, StandardCharsets.UTF_8);
        int code =
                ConsumerExample.run(
                        new String[] {"--nats", "nats://127.0.0.1:1"},
                        Map.of(),
                        err,
                        err,
                        new CountDownLatch(0));
        assertThat(code).isEqualTo(1);
        assertThat(b.toString(StandardCharsets.UTF_8))
                .contains("cannot reach NATS at nats://127.0.0.1:1");
    }
}
