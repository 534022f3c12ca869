package io.tickmux.transport.replay.internal;

import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.replay.ReplayReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a recording to the connections a manager makes, on one thread ({@code tickmux-replay}) that
 * it starts at the first {@code connect()} and that ends when every connection is closed after the
 * recording's end, or at {@link #close()}.
 *
 * <p>The recording plays the server and the socket: what the recorded transport reported (events,
 * acks, refusals, status, errors, connects and disconnects) is reported again, at the recorded
 * inter-arrival times divided by the speed, measured on the {@link Pacer}. The manager stays free:
 *
 * <ul>
 *   <li>Events reach a connection only while it is connected, and only for tickers the manager has
 *       subscribed on it (as a real server sends); the others are counted as filtered.
 *   <li>A recorded answer waits for its question: a recorded {@code connected} plays once the
 *       manager has called {@code connect()}; a recorded ack or refusal once it has sent that
 *       subscription. After the gate timeout the answer is skipped and counted. Time spent at a
 *       gate does not shorten the gaps that follow.
 *   <li>A subscription the recording never answers on that connection is acknowledged at once, as a
 *       server would; so is every subscription after the end of the recording. {@code abort()} and
 *       {@code close()} are reported at once.
 * </ul>
 *
 * <p>At the end, every connected connection gets a server status {@code replay_end} with the {@link
 * ReplayReport#summary()}, and {@link #completion()} completes. Listener calls are made on the
 * replay thread only, never under the lock, so they are one at a time per connection.
 *
 * <p>This class is the thread's life: it reads which subscriptions the recording answers ({@link
 * RecordedAnswers}), plays the entries when the {@link Timeline} says they are due, through the
 * {@link EntryDispatcher}, to the {@link ReplayConnection}s of the {@link ReplayStage}, and ends.
 */
public final class ReplayPlayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPlayer.class);

    /** The server status word a replay ends with. */
    public static final String END_STATUS = "replay_end";

    private final List<Path> files;
    private final Pacer pacer;
    private final Timeline timeline;
    private final ReplayStage stage;
    private final EntryDispatcher dispatcher;
    private final CompletableFuture<ReplayReport> completion = new CompletableFuture<>();
    private final Thread thread;

    /**
     * @param files the recording, in playing order
     * @param speed 1 real time, N faster, infinity as fast as possible
     * @param gateTimeout how long a recorded answer waits for its question
     * @param pacer the clock pacing follows
     */
    public ReplayPlayer(List<Path> files, double speed, Duration gateTimeout, Pacer pacer) {
        this.files = List.copyOf(files);
        this.pacer = pacer;
        this.timeline = new Timeline(speed, pacer);
        this.thread = Threads.named("tickmux-replay").newThread(this::run);
        this.stage = new ReplayStage(pacer, gateTimeout, thread::start);
        this.dispatcher = new EntryDispatcher(stage);
    }

    /**
     * A connection the manager drives; the recording's entries of the same id reach it.
     *
     * @param id the connection's id
     * @param listener the host
     * @return the connection
     */
    public TransportConnection connection(String id, TransportListener listener) {
        return stage.connection(id, listener);
    }

    /**
     * @return completes with the report when the recording has been played
     */
    public CompletableFuture<ReplayReport> completion() {
        return completion;
    }

    /** Stops the replay thread; connections get no more calls. */
    @Override
    public void close() {
        completion.completeExceptionally(
                new CancellationException("the replay was closed before its end"));
        stage.stop();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------ replay thread

    private void run() {
        try {
            stage.answers(RecordedAnswers.scan(files));
            play();
            stage.serve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("replay: stopped by an unexpected failure", e);
            completion.completeExceptionally(e);
        }
    }

    private void play() throws InterruptedException {
        RecordingReader reader = new RecordingReader(files);
        long entries = 0;
        try (reader) {
            RecordingReader.Timed t;
            while ((t = reader.next()) != null) {
                stage.runImmediate(); // what the manager's own calls caused comes first
                if (stage.isStopped()) {
                    completion.completeExceptionally(
                            new CancellationException(
                                    "the replay stopped before the end of the recording: closed,"
                                            + " or every connection was closed"));
                    return;
                }
                entries++;
                Entry e = t.entry();
                if (e instanceof Entry.Command c) {
                    dispatcher.command(c);
                    continue;
                }
                if (e instanceof Entry.Dropped d) {
                    dispatcher.dropped(d);
                    continue;
                }
                stage.waitUntil(timeline.due(t.unixNanos()));
                long before = pacer.nanoTime();
                dispatcher.play(e);
                // Time spent at a gate moves the whole timeline: the gaps after it stay whole.
                timeline.holdUp(pacer.nanoTime() - before);
            }
            ReplayReport report =
                    new ReplayReport(
                            reader.fileList().size(),
                            reader.completeFiles(),
                            reader.corruptFiles(),
                            reader.problems(),
                            entries,
                            dispatcher.delivered(),
                            dispatcher.filtered(),
                            dispatcher.recordedDrops(),
                            dispatcher.skipped(),
                            timeline.span());
            for (String p : report.problems()) {
                LOG.warn("replay: {}", p);
            }
            end(report);
        }
    }

    private void end(ReplayReport report) {
        ReplayStage.Ending ending = stage.end();
        ending.answers().forEach(ReplayStage::guarded);
        String summary = report.summary();
        LOG.info("replay: {}", summary);
        for (ReplayConnection c : ending.live()) {
            c.serverStatus(END_STATUS, summary);
        }
        completion.complete(report);
    }
}
