package io.tickmux.transport.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.tck.TransportHost;
import io.tickmux.transport.mock.MockConnection;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import io.tickmux.transport.replay.internal.Entry;
import io.tickmux.transport.replay.internal.Recorder;
import io.tickmux.transport.replay.internal.RecordingReader;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation, files a killed or broken recorder leaves, a stalled disk, and the settings. */
class RecorderFilesTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir Path dir;

    static RecorderSettings settings(Path dir, String more) {
        return RecorderSettings.from(
                ConfigFactory.parseString(
                                "tickmux.transport.recording { dir = \""
                                        + dir
                                        + "\", delegate = mock }\n"
                                        + more)
                        .withFallback(ConfigFactory.load())
                        .resolve());
    }

    static MultiConnectionManager manager(TransportFactory t, List<MarketEvent> seen) {
        return MultiConnectionManager.builder()
                .settings(CoreSettings.from(ConfigFactory.load()))
                .transport(t)
                .tickListener(seen::add)
                .connection(ConnectionDefinition.of("c1"))
                .build();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** Records trades through the mock transport until the recorder has completed 3 files. */
    private List<MarketEvent> recordRotated() throws Exception {
        List<MarketEvent> seen = new CopyOnWriteArrayList<>();
        MockTransport mock = new MockTransport();
        try (RecordingTransportFactory rec =
                        new RecordingTransportFactory(
                                mock,
                                settings(
                                        dir,
                                        "tickmux.transport.recording { rotate.max-size = 4K,"
                                                + " flush-interval = 10ms }"));
                MultiConnectionManager m = manager(rec, seen)) {
            assertThat(m.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT)).isTrue();
            MockConnection c1 = mock.connection("c1");
            long seq = 0;
            while (rec.stats().filesCompleted() < 3) {
                List<MarketEvent> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    seq++;
                    batch.add(MockEvents.trade(seq % 2 == 0 ? "AAPL" : "MSFT", seq, seq));
                }
                for (int i = 0; i < batch.size(); i += 8) {
                    c1.emit(batch.subList(i, Math.min(i + 8, batch.size())));
                }
                long want = seq;
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(seen).hasSize((int) want));
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(rec.stats().buffered()).isZero());
            }
            assertThat(rec.stats().dropped()).isZero();
        }
        return List.copyOf(seen);
    }

    private List<MarketEvent> replay(Path path, ReplayReport[] report) throws Exception {
        List<MarketEvent> seen = new CopyOnWriteArrayList<>();
        try (ReplayTransportFactory replay =
                        new ReplayTransportFactory(
                                new ReplaySettings(path, Double.POSITIVE_INFINITY, TIMEOUT));
                MultiConnectionManager m = manager(replay, seen)) {
            assertThat(m.connectAll(Map.of("c1", List.of("AAPL", "MSFT")), TIMEOUT)).isTrue();
            report[0] = replay.completion().get(30, TimeUnit.SECONDS);
            return List.copyOf(seen);
        }
    }

    @Test
    void rotationLeavesCompleteReadableFilesInTimeOrderAndAReplaySpansThem() throws Exception {
        List<MarketEvent> live = recordRotated();

        List<Path> files = list(dir);
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        assertThat(files)
                .allSatisfy(
                        p ->
                                assertThat(p.getFileName().toString())
                                        .matches(
                                                "tickmux-\\d{8}T\\d{6}\\.\\d{3}Z-\\d{6}\\.rec\\.gz"));
        List<String> seqs =
                files.stream()
                        .map(
                                p ->
                                        p.getFileName()
                                                .toString()
                                                .replaceAll(".*Z-(\\d{6})\\.rec\\.gz", "$1"))
                        .toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        try (RecordingReader r = new RecordingReader(files)) {
            while (r.next() != null) {
                // read every entry
            }
            assertThat(r.problems()).isEmpty();
            assertThat(r.completeFiles()).isEqualTo(files.size());
        }

        ReplayReport[] report = new ReplayReport[1];
        assertThat(replay(dir, report)).isEqualTo(live);
        assertThat(report[0].files()).isEqualTo(files.size());
        assertThat(report[0].completeFiles()).isEqualTo(files.size());

        // A file from the middle plays on its own: it begins with the connection's state.
        Path middle = files.get(1);
        List<MarketEvent> inMiddle = new ArrayList<>();
        try (RecordingReader r = new RecordingReader(List.of(middle))) {
            RecordingReader.Timed t;
            while ((t = r.next()) != null) {
                if (t.entry() instanceof Entry.Events ev) {
                    inMiddle.addAll(ev.events());
                }
            }
        }
        assertThat(inMiddle).isNotEmpty();
        assertThat(replay(middle, report)).isEqualTo(inMiddle);
        assertThat(report[0].skippedAnswers()).isZero();
    }

    @Test
    void aCutShortOrCorruptFileIsReportedAndTheRestIsPlayed() throws Exception {
        List<MarketEvent> live = recordRotated();
        List<Path> files = list(dir);
        Path first = files.get(0);
        byte[] whole = Files.readAllBytes(first);
        Files.write(first, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path bogus = dir.resolve("tickmux-00000000T000000.000Z-000000.rec.gz");
        Files.writeString(bogus, "not a recording");

        ReplayReport[] report = new ReplayReport[1];
        List<MarketEvent> replayed = replay(dir, report);

        assertThat(report[0].corruptFiles()).isEqualTo(2);
        assertThat(report[0].problems())
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains(bogus.getFileName().toString())
                                        .contains("unreadable"))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains(first.getFileName().toString())
                                        .contains("cut short")
                                        .contains("the entries before the fault were played"));
        assertThat(report[0].summary()).contains("2 file(s) cut short or corrupt");
        // What the first file held up to the cut, then every later file, whole and in order.
        assertThat(replayed.size()).isLessThan(live.size());
        int lost = live.size() - replayed.size();
        assertThat(replayed.subList(0, 1)).isEqualTo(live.subList(0, 1));
        List<MarketEvent> tail = live.subList(lost + indexOfFirstLoss(live, replayed), live.size());
        assertThat(replayed.subList(indexOfFirstLoss(live, replayed), replayed.size()))
                .isEqualTo(tail);
    }

    /** Where the replayed sequence first differs from the recorded one (the cut). */
    private static int indexOfFirstLoss(List<MarketEvent> live, List<MarketEvent> replayed) {
        int i = 0;
        while (i < replayed.size() && replayed.get(i).equals(live.get(i))) {
            i++;
        }
        return i;
    }

    @Test
    void aStalledDiskNeverHoldsUpTheReadThreadDropsAreCountedAndNoted() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder.Opener stallingDisk =
                p -> {
                    OutputStream file = Files.newOutputStream(p);
                    return new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            stalled.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new java.io.InterruptedIOException();
                            }
                            file.write(b, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            file.close();
                        }
                    };
                };
        RecorderSettings s =
                settings(
                        dir,
                        "tickmux.transport.recording { buffer.capacity = 16, flush-interval ="
                                + " 10ms }");
        List<MarketEvent> seen = new CopyOnWriteArrayList<>();
        MockTransport mock = new MockTransport();
        Recorder recorder = new Recorder(s, Clock.systemUTC(), System::nanoTime, stallingDisk);
        RecordingTransportFactory rec = new RecordingTransportFactory(mock, recorder, TIMEOUT);
        try (MultiConnectionManager m = manager(rec, seen)) {
            assertThat(m.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT)).isTrue();
            assertThat(stalled.await(30, TimeUnit.SECONDS))
                    .as("the writer's first flush reached the stalled disk")
                    .isTrue();
            MockConnection c1 = mock.connection("c1");
            for (int i = 1; i <= 500; i++) {
                c1.emit(MockEvents.trade("AAPL", i, i));
            }
            // Every event reaches the listener while the writer is stuck on the disk.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(seen).hasSize(500));
            RecorderStats during = rec.stats();
            assertThat(during.buffered()).isLessThanOrEqualTo(16);
            assertThat(during.dropped()).isGreaterThanOrEqualTo(500 - 16);
            release.countDown();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(rec.stats().buffered()).isZero());
        }
        rec.close();
        RecorderStats after = rec.stats();
        assertThat(after.filesCompleted()).isEqualTo(1);

        ReplayReport[] report = new ReplayReport[1];
        List<MarketEvent> replayed;
        List<MarketEvent> seen2 = new CopyOnWriteArrayList<>();
        try (ReplayTransportFactory replay =
                        new ReplayTransportFactory(
                                new ReplaySettings(dir, Double.POSITIVE_INFINITY, TIMEOUT));
                MultiConnectionManager m = manager(replay, seen2)) {
            assertThat(m.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT)).isTrue();
            report[0] = replay.completion().get(30, TimeUnit.SECONDS);
            replayed = List.copyOf(seen2);
        }
        assertThat(report[0].recordedDrops()).isEqualTo(after.dropped());
        assertThat(report[0].summary()).contains("the recorder had dropped " + after.dropped());
        // Only the flood was dropped (the connect and the ack were buffered before it), one trade
        // per entry: the replay has exactly the trades that were recorded, in order.
        assertThat(replayed).hasSize(500 - (int) after.dropped());
        assertThat(replayed)
                .isSortedAccordingTo(
                        java.util.Comparator.comparingLong(MarketEvent::timestampMillis));
    }

    @Test
    void timeRotationCompletesAFileOnceItIsOld() throws Exception {
        AtomicLong now = new AtomicLong();
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T14:30:00Z"), ZoneOffset.UTC);
        RecorderSettings s = settings(dir, "tickmux.transport.recording.rotate.max-age = 1m");
        try (Recorder r = new Recorder(s, clock, now::get, Files::newOutputStream)) {
            r.offer(new Entry.Connected("c1", now.get()));
            r.offer(new Entry.Ack("c1", now.get(), "AAPL", true));
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(r.stats().recorded()).isEqualTo(2));
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(r.stats().filesCompleted()).isEqualTo(1));
            r.offer(new Entry.Events("c1", now.get(), List.of(MockEvents.trade("AAPL", 1, 1))));
        }
        List<Path> files = list(dir);
        assertThat(files).hasSize(2);
        List<Entry> second = new ArrayList<>();
        try (RecordingReader reader = new RecordingReader(List.of(files.get(1)))) {
            RecordingReader.Timed t;
            while ((t = reader.next()) != null) {
                second.add(t.entry());
            }
            assertThat(reader.problems()).isEmpty();
        }
        assertThat(second.get(0))
                .isInstanceOfSatisfying(
                        Entry.State.class,
                        st -> {
                            assertThat(st.connected()).isTrue();
                            assertThat(st.acked()).containsExactly("AAPL");
                        });
        assertThat(second.get(1)).isInstanceOf(Entry.Events.class);
    }

    @Test
    void badSettingsAreAllListedAtOnce() {
        Config bad =
                ConfigFactory.parseString(
                                "tickmux.transport.recording { delegate = recording, dir = \"\","
                                        + " rotate.max-size = lots, buffer.capacity = 1,"
                                        + " flush-intervall = 1s }\n"
                                        + "tickmux.transport.replay { path = \"\", speed = fast }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        assertThatThrownBy(() -> RecorderSettings.from(bad))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .hasSize(5)
                                        .anySatisfy(p -> assertThat(p).contains("delegate"))
                                        .anySatisfy(p -> assertThat(p).contains(".dir is empty"))
                                        .anySatisfy(
                                                p -> assertThat(p).contains("'lots' is not a size"))
                                        .anySatisfy(p -> assertThat(p).contains("buffer.capacity"))
                                        .anySatisfy(p -> assertThat(p).contains("did you mean")));
        assertThatThrownBy(() -> ReplaySettings.from(bad))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .hasSize(2)
                                        .anySatisfy(p -> assertThat(p).contains(".path is empty"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "'fast' is not a speed")));
        assertThatThrownBy(
                        () ->
                                TransportHost.start(
                                        new ReplayTransportFactory(),
                                        ConfigFactory.parseString(
                                                        "tickmux.transport.replay.path ="
                                                                + " \"/nonexistent/rec\"")
                                                .withFallback(ConfigFactory.load())
                                                .resolve()))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("/nonexistent/rec does not exist");
    }
}
