package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.replay.RecorderSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording's files on the writer's side, driven on clocks the test owns. */
class RecordingFilesTest {

    static final long SECOND = 1_000_000_000L;
    static final Instant AT = Instant.parse("2026-12-01T14:30:00.250Z");

    @TempDir Path dir;
    final AtomicLong now = new AtomicLong(100 * SECOND);
    final Clock clock = Clock.fixed(AT, ZoneOffset.UTC);

    RecorderSettings settings(long maxBytes, Duration maxAge) {
        return new RecorderSettings(
                "mock", dir, maxBytes, maxAge, Duration.ofSeconds(1), 1024, Duration.ofSeconds(5));
    }

    RecordingFiles files(RecorderSettings s, Recorder.Opener opener) {
        return new RecordingFiles(s, clock, now::get, opener);
    }

    List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        try (RecordingReader r = new RecordingReader(List.of(file))) {
            RecordingReader.Timed t;
            while ((t = r.next()) != null) {
                out.add(t.entry());
            }
            assertThat(r.problems()).isEmpty();
        }
        return out;
    }

    @Test
    void namesSortByTimeThenNumber() {
        assertThat(RecordingFiles.fileName(AT, 7))
                .isEqualTo("tickmux-20261201T143000.250Z-000007.rec.gz");
        assertThat(RecordingFiles.fileName(AT, 7))
                .isLessThan(RecordingFiles.fileName(AT, 10))
                .isLessThan(RecordingFiles.fileName(AT.plusMillis(1), 1));
    }

    @Test
    void aFileIsAPartUntilCompleteAndTheNextBeginsWithEachConnectionsState() throws Exception {
        RecordingFiles f = files(settings(64 << 20, Duration.ZERO), Files::newOutputStream);
        assertThat(f.open(now.get())).isTrue();
        assertThat(f.partPath().getFileName().toString()).endsWith(".rec.gz.part");
        f.write(new Entry.Connected("c1", now.get()));
        f.write(new Entry.Ack("c1", now.get(), "AAPL", true));
        f.complete(null);
        assertThat(f.isOpen()).isFalse();
        assertThat(f.filesCompleted()).isEqualTo(1);
        assertThat(list())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("tickmux-20261201T143000.250Z-000001.rec.gz");

        assertThat(f.open(now.get())).isTrue();
        f.write(new Entry.Events("c1", now.get(), List.of(MockEvents.trade("AAPL", 1, 1))));
        f.complete(new Entry.Dropped("", now.get(), 3));
        List<Path> done = list();
        assertThat(done).hasSize(2);
        List<Entry> second = read(done.get(1));
        assertThat(second).hasSize(3);
        assertThat(second.get(0)).isEqualTo(new Entry.State("c1", now.get(), true, Set.of("AAPL")));
        assertThat(second.get(1)).isInstanceOf(Entry.Events.class);
        assertThat(second.get(2)).isEqualTo(new Entry.Dropped("", now.get(), 3));
        assertThat(f.bytesWritten()).isEqualTo(Files.size(done.get(0)) + Files.size(done.get(1)));
    }

    @Test
    void aFileThatCannotBeCreatedIsCountedAndTriedAgainAfterASecond() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Recorder.Opener failsOnce =
                p -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IOException("No space left on device");
                    }
                    return Files.newOutputStream(p);
                };
        RecordingFiles f = files(settings(64 << 20, Duration.ZERO), failsOnce);
        assertThat(f.open(now.get())).isFalse();
        assertThat(f.writeErrors()).isEqualTo(1);

        now.addAndGet(SECOND - 1);
        assertThat(f.open(now.get())).isFalse();
        assertThat(attempts).as("not tried again within the second").hasValue(1);

        now.addAndGet(1);
        assertThat(f.open(now.get())).isTrue();
        assertThat(f.partPath().getFileName().toString())
                .as("a new name: the failed one is not reused")
                .contains("-000002.");
    }

    @Test
    void aFileThatFailsWhileWrittenStaysAPart() throws Exception {
        Recorder.Opener breaksOnClose =
                p ->
                        new OutputStream() {
                            final OutputStream file = Files.newOutputStream(p);

                            @Override
                            public void write(int b) throws IOException {
                                file.write(b);
                            }

                            @Override
                            public void close() throws IOException {
                                file.close();
                                throw new IOException("disk gone");
                            }
                        };
        RecordingFiles f = files(settings(64 << 20, Duration.ZERO), breaksOnClose);
        assertThat(f.open(now.get())).isTrue();
        f.write(new Entry.Connected("c1", now.get()));
        f.complete(null);
        assertThat(f.isOpen()).isFalse();
        assertThat(f.filesCompleted()).isZero();
        assertThat(f.writeErrors()).isEqualTo(1);
        assertThat(list())
                .singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).endsWith(".part"));
        assertThat(f.open(now.get())).as("held back for a second").isFalse();
    }

    @Test
    void rotationIsDueBySizeOrAgeAndAFlushByInterval() throws Exception {
        RecordingFiles bySize = files(settings(1, Duration.ZERO), Files::newOutputStream);
        bySize.open(now.get());
        assertThat(bySize.tooBig()).as("nothing reached the disk yet").isFalse();
        assertThat(bySize.tooOld(now.get() + 3600 * SECOND)).as("no max-age set").isFalse();
        bySize.write(new Entry.Connected("c1", now.get()));
        bySize.flush(now.get());
        assertThat(bySize.tooBig()).isTrue();

        RecordingFiles byAge =
                files(settings(64 << 20, Duration.ofMinutes(1)), Files::newOutputStream);
        long opened = now.get();
        byAge.open(opened);
        assertThat(byAge.tooBig()).isFalse();
        assertThat(byAge.tooOld(opened + 60 * SECOND - 1)).isFalse();
        assertThat(byAge.tooOld(opened + 60 * SECOND)).isTrue();
        assertThat(byAge.flushDue(opened + SECOND - 1)).isFalse();
        assertThat(byAge.flushDue(opened + SECOND)).isTrue();
        byAge.flush(opened + SECOND);
        assertThat(byAge.flushDue(opened + SECOND)).as("flushed just now").isFalse();
    }
}
