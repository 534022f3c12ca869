package io.tickmux.transport.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.transport.replay.internal.Entry;
import io.tickmux.transport.replay.internal.RecordingReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both transports are chosen by name from HOCON, through ServiceLoader, like any transport. */
class SelectedByConfigTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir Path dir;

    private Tickmux app(String hocon) {
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                "tickmux.app { multi-connection = true, connections.1 { enabled = true, symbols = [AAPL, MSFT] } }\n"
                                        + hocon),
                        Map.of());
        return Tickmux.builder(root).extensions(List.of()).build();
    }

    @Test
    void recordingThenReplayingByName() throws Exception {
        try (Tickmux app =
                app(
                        "tickmux.app.transport = recording\n"
                                + "tickmux.transport.recording { delegate = mock, dir = \""
                                + dir
                                + "\" }")) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
        }
        // The last connection's close completes the file, without anyone closing the factory.
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(RecordingReader.files(dir))
                                        .singleElement()
                                        .satisfies(
                                                p ->
                                                        assertThat(p.toString())
                                                                .endsWith(RecordingReader.SUFFIX)));
        List<Entry> entries = new ArrayList<>();
        try (RecordingReader r = new RecordingReader(RecordingReader.files(dir))) {
            RecordingReader.Timed t;
            while ((t = r.next()) != null) {
                entries.add(t.entry());
            }
            assertThat(r.completeFiles()).isEqualTo(1);
        }
        assertThat(entries)
                .filteredOn(e -> e instanceof Entry.Ack)
                .extracting(e -> ((Entry.Ack) e).symbol())
                .containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(entries)
                .filteredOn(
                        e ->
                                e instanceof Entry.Command c
                                        && c.kind() == Entry.CommandKind.SUBSCRIBE)
                .isNotEmpty();

        try (Tickmux app =
                app(
                        "tickmux.app.transport = replay\n"
                                + "tickmux.transport.replay { path = \""
                                + dir
                                + "\", speed = max }")) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
        }
    }

    @Test
    void aBadRecordingConfigurationFailsAtBuildWithEveryProblem() {
        assertThatThrownBy(
                        () ->
                                app(
                                        "tickmux.app.transport = recording\n"
                                                + "tickmux.transport.recording { delegate = nope,"
                                                + " rotate.max-age = forever }"))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.transport.recording.dir is empty")
                .hasMessageContaining("tickmux.transport.recording.rotate.max-age");
        assertThatThrownBy(
                        () ->
                                app(
                                        "tickmux.app.transport = replay\n"
                                                + "tickmux.transport.replay.path = \""
                                                + dir.resolve("missing")
                                                + "\""))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("missing does not exist");
    }
}
