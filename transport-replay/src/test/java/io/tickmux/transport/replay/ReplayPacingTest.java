package io.tickmux.transport.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.replay.internal.Entry;
import io.tickmux.transport.replay.internal.Pacer;
import io.tickmux.transport.replay.internal.Recorder;
import io.tickmux.transport.replay.internal.ReplayPlayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's pace, measured on a clock the test owns: the pacer moves its clock to each deadline
 * at once, so what is asserted is when each call was due, never wall time.
 */
class ReplayPacingTest {

    static final long SECOND = 1_000_000_000L;

    @TempDir Path dir;

    /** A pacer whose clock jumps to each deadline. */
    static final class MovedClock implements Pacer {
        final AtomicLong now = new AtomicLong(5 * SECOND);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void awaitUntil(Condition wakeUp, long deadline) {
            now.accumulateAndGet(deadline, Math::max);
        }
    }

    /** Subscribes AAPL when connected, as the manager would, and notes when events arrive. */
    static class Host implements TransportListener {
        final Pacer clock;
        final List<Long> eventTimes = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        TransportConnection connection;

        Host(Pacer clock) {
            this.clock = clock;
        }

        @Override
        public void onConnected() {
            calls.add("connected");
            connection.subscribe(List.of("AAPL"));
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            calls.add("disconnected " + reason);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            for (MarketEvent e : events) {
                eventTimes.add(clock.nanoTime());
                calls.add("event " + e.symbol());
            }
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            calls.add("ack " + symbol);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            calls.add("rejected " + symbol);
        }

        @Override
        public void onServerStatus(String status, String message) {
            calls.add("status " + status);
        }

        @Override
        public void onError(String kind, String detail) {
            calls.add("error " + kind);
        }
    }

    /**
     * Records: connected and AAPL acked at t=0; trades at 1 s, 2 s and 4 s; MSFT (unsubscribed) at
     * 3 s.
     */
    @BeforeEach
    void record() throws Exception {
        AtomicLong t = new AtomicLong(100 * SECOND);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T14:30:00Z"), ZoneOffset.UTC);
        RecorderSettings s =
                new RecorderSettings(
                        "massive",
                        dir,
                        64 << 20,
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        1024,
                        Duration.ofSeconds(30));
        try (Recorder r = new Recorder(s, clock, t::get, Files::newOutputStream)) {
            long t0 = t.get();
            r.offer(new Entry.Command("c1", t0, Entry.CommandKind.CONNECT, List.of()));
            r.offer(new Entry.Connected("c1", t0));
            r.offer(new Entry.Command("c1", t0, Entry.CommandKind.SUBSCRIBE, List.of("AAPL")));
            r.offer(new Entry.Ack("c1", t0, "AAPL", true));
            r.offer(new Entry.Events("c1", t0 + SECOND, List.of(MockEvents.trade("AAPL", 1, 1))));
            r.offer(
                    new Entry.Events(
                            "c1", t0 + 2 * SECOND, List.of(MockEvents.trade("AAPL", 2, 2))));
            r.offer(
                    new Entry.Events(
                            "c1", t0 + 3 * SECOND, List.of(MockEvents.trade("MSFT", 3, 3))));
            r.offer(
                    new Entry.Events(
                            "c1", t0 + 4 * SECOND, List.of(MockEvents.trade("AAPL", 4, 4))));
        }
    }

    private Host play(double speed, MovedClock clock) throws Exception {
        ReplayPlayer p =
                new ReplayPlayer(
                        io.tickmux.transport.replay.internal.RecordingReader.files(dir),
                        speed,
                        Duration.ofSeconds(30),
                        clock);
        try (p) {
            Host host = new Host(clock);
            host.connection = p.connection("c1", host);
            host.connection.connect();
            ReplayReport report = p.completion().get(30, TimeUnit.SECONDS);
            assertThat(report.eventsDelivered()).isEqualTo(3);
            assertThat(report.eventsFiltered()).as("MSFT was never subscribed").isEqualTo(1);
            assertThat(report.recordedSpan()).isEqualTo(Duration.ofSeconds(4));
            return host;
        }
    }

    @Test
    void atRealSpeedTheRecordedGapsAreKept() throws Exception {
        MovedClock clock = new MovedClock();
        long start = clock.nanoTime();
        Host host = play(1, clock);
        assertThat(host.eventTimes)
                .containsExactly(start + SECOND, start + 2 * SECOND, start + 4 * SECOND);
        assertThat(host.calls)
                .containsExactly(
                        "connected",
                        "ack AAPL",
                        "event AAPL",
                        "event AAPL",
                        "event AAPL",
                        "status " + ReplayTransportFactory.END_STATUS);
    }

    @Test
    void atSpeedFourTheGapsAreAQuarter() throws Exception {
        MovedClock clock = new MovedClock();
        long start = clock.nanoTime();
        Host host = play(4, clock);
        assertThat(host.eventTimes)
                .containsExactly(start + SECOND / 4, start + SECOND / 2, start + SECOND);
    }

    @Test
    void atMaxSpeedNothingWaits() throws Exception {
        MovedClock clock = new MovedClock();
        long start = clock.nanoTime();
        Host host = play(Double.POSITIVE_INFINITY, clock);
        assertThat(host.eventTimes).containsExactly(start, start, start);
    }

    @Test
    void closingEveryConnectionStopsTheReplayBeforeItsEnd() throws Exception {
        MovedClock clock = new MovedClock();
        ReplayPlayer p =
                new ReplayPlayer(
                        io.tickmux.transport.replay.internal.RecordingReader.files(dir),
                        1,
                        Duration.ofSeconds(30),
                        clock);
        try (p) {
            Host host =
                    new Host(clock) {
                        @Override
                        public void onEvents(List<MarketEvent> events) {
                            super.onEvents(events);
                            connection.close();
                        }
                    };
            host.connection = p.connection("c1", host);
            host.connection.connect();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> p.completion().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.CancellationException.class)
                    .hasMessageContaining("every connection was closed");
            assertThat(host.calls)
                    .containsExactly(
                            "connected",
                            "ack AAPL",
                            "event AAPL",
                            "disconnected " + DisconnectReason.CLOSED_BY_CLIENT);
        }
    }

    @Test
    void speedsParseAndBadOnesSayWhatIsAccepted() {
        assertThat(ReplaySettings.parseSpeed("max")).isInfinite();
        assertThat(ReplaySettings.parseSpeed("10")).isEqualTo(10);
        assertThat(ReplaySettings.parseSpeed("0.5")).isEqualTo(0.5);
        assertThat(ReplaySettings.parseSpeed("4x")).isEqualTo(4);
        for (String bad : List.of("0", "-2", "fast", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplaySettings.parseSpeed(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a speed")
                    .hasMessageContaining("max");
        }
    }
}
