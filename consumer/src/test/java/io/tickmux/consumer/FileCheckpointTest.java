package io.tickmux.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointTest {

    @TempDir Path dir;

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        long millis = 1_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFirstRunStartsEmptyAndTheDurableDecides() {
        FileCheckpoint cp =
                FileCheckpoint.at(dir.resolve("c"), Duration.ofSeconds(1), () -> utf8("x"));
        assertThat(cp.load()).isZero();
        assertThat(cp.state()).isEmpty();
        assertThat(dir.resolve("c")).doesNotExist();
    }

    @Test
    void stateAndPositionAreWrittenTogetherOnTheIntervalAndReadBack() {
        MovingClock clock = new MovingClock();
        AtomicInteger count = new AtomicInteger();
        Path file = dir.resolve("counts.ckpt");
        FileCheckpoint cp =
                FileCheckpoint.at(
                        file, Duration.ofSeconds(1), () -> utf8("n=" + count.get()), clock);
        for (long seq = 1; seq <= 5; seq++) {
            count.incrementAndGet();
            cp.store(seq);
        }
        assertThat(file).as("not written before the interval").doesNotExist();
        clock.millis += 1_000;
        count.incrementAndGet();
        cp.store(6);
        assertThat(cp.savedPosition()).isEqualTo(6);
        count.incrementAndGet();
        cp.store(7); // handled, not written: after a crash it comes again

        FileCheckpoint again =
                FileCheckpoint.at(file, Duration.ofSeconds(1), () -> utf8("?"), clock);
        assertThat(again.load()).isEqualTo(6);
        assertThat(new String(again.state(), StandardCharsets.UTF_8)).isEqualTo("n=6");
        assertThat(dir.resolve("counts.ckpt.tmp")).doesNotExist();
    }

    @Test
    void flushWritesWhatWasHandledAndSkipsWhenNothingIsNew() throws Exception {
        MovingClock clock = new MovingClock();
        AtomicInteger asked = new AtomicInteger();
        Path file = dir.resolve("c");
        FileCheckpoint cp =
                FileCheckpoint.at(
                        file,
                        Duration.ofHours(1),
                        () -> utf8("s" + asked.incrementAndGet()),
                        clock);
        cp.flush();
        assertThat(asked).as("nothing handled, nothing written").hasValue(0);
        cp.store(42);
        cp.flush();
        cp.flush();
        assertThat(asked).hasValue(1);
        assertThat(FileCheckpoint.at(file, Duration.ZERO, () -> new byte[0]).load()).isEqualTo(42);
        assertThat(Files.size(file)).isEqualTo(4 + 4 + 8 + 4 + 2 + 8);
    }

    @Test
    void aTornFileIsRefusedWithWhatToDoNotSilentlyReset() throws Exception {
        Path file = dir.resolve("c");
        FileCheckpoint cp = FileCheckpoint.at(file, Duration.ZERO, () -> utf8("state"));
        cp.store(9);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> FileCheckpoint.at(file, Duration.ZERO, () -> new byte[0]))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("move it away");
        whole[whole.length - 10] ^= 1; // a flipped bit in the state
        Files.write(file, whole);
        assertThatThrownBy(() -> FileCheckpoint.at(file, Duration.ZERO, () -> new byte[0]))
                .hasMessageContaining("checksum");
        Files.writeString(file, "position=9\n");
        assertThatThrownBy(() -> FileCheckpoint.at(file, Duration.ZERO, () -> new byte[0]))
                .hasMessageContaining("not a tickmux consumer checkpoint");
    }

    @Test
    void aFailedWriteLeavesTheLastWholeFile() throws Exception {
        Path file = dir.resolve("c");
        FileCheckpoint cp = FileCheckpoint.at(file, Duration.ZERO, () -> utf8("one"));
        cp.store(1);
        Files.createDirectory(dir.resolve("c.tmp")); // the temporary name cannot be a file now
        assertThatThrownBy(() -> cp.store(2))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot be written");
        FileCheckpoint again = FileCheckpoint.at(file, Duration.ZERO, () -> new byte[0]);
        assertThat(again.load()).isEqualTo(1);
        assertThat(new String(again.state(), StandardCharsets.UTF_8)).isEqualTo("one");
    }
}
