package io.tickmux.transport.replay.internal;

import io.tickmux.spi.concurrent.Threads;
import io.tickmux.transport.replay.RecorderSettings;
import io.tickmux.transport.replay.RecorderStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes entries to compressed, rotated files on its own thread ({@code tickmux-recorder}).
 *
 * <p>{@link #offer} is what transport threads call: it never waits. It puts the entry in a bounded
 * buffer, or, when the buffer is full, drops it and counts it; the writer notes the count in the
 * file ({@link Entry.Dropped}) where the entries went missing, so a replay reports it.
 *
 * <p>Files: {@code tickmux-<UTC time>-<seq>.rec.gz}, names sorting by time. A file is written under
 * its name plus {@code .part} and renamed when it is complete (rotation, {@link #finishFile()},
 * {@link #close()}), so a file with the final name is always whole; the open file is flushed every
 * {@code flush-interval}, so a recorder that is killed leaves a {@code .part} that is readable up
 * to the last flush. Each file starts with a header and, after a rotation, the state of every
 * connection ({@link Entry.State}), so a file can be played on its own.
 *
 * <p>This class is the buffer, its counters and the writer thread's life; the files themselves
 * (naming, writing, flushing, rotating, completing, failures) are {@link RecordingFiles}'.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final Object FINISH = new Object();

    /** Opens a file for writing; tests substitute a stalled or failing one. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @param path the file to create
         * @return its stream
         * @throws IOException when it cannot be created
         */
        OutputStream open(Path path) throws IOException;
    }

    private final RecorderSettings settings;
    private final LongSupplier nanoClock;
    private final ArrayBlockingQueue<Object> queue;
    private final Thread writer;
    private final RecordingFiles files;
    private final Thread shutdownHook;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private volatile boolean closing;

    // writer thread only
    private long droppedNoted;

    /**
     * @param settings where and how to write
     * @param clock Unix time for file names and headers (the manager's clock)
     * @param nanoClock the monotonic receive clock (the transports' clock, {@code
     *     System::nanoTime})
     * @param opener creates files
     */
    public Recorder(RecorderSettings settings, Clock clock, LongSupplier nanoClock, Opener opener) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.files = new RecordingFiles(settings, clock, nanoClock, opener);
        this.queue = new ArrayBlockingQueue<>(settings.bufferCapacity());
        this.writer = Threads.named("tickmux-recorder").newThread(this::run);
        this.shutdownHook = new Thread(this::close, "tickmux-recorder-shutdown");
        writer.start();
        // A JVM that exits without closing the recorder (Ctrl-C) still completes the file.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * @param settings where and how to write
     * @return a recorder on the system clocks, writing real files
     */
    public static Recorder create(RecorderSettings settings) {
        return new Recorder(
                settings,
                Clock.systemUTC(),
                System::nanoTime,
                p -> Files.newOutputStream(p, StandardOpenOption.CREATE_NEW));
    }

    /**
     * @return now on the receive clock
     */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /**
     * Buffers an entry for the writer; never waits. Any thread.
     *
     * @param e the entry
     */
    public void offer(Entry e) {
        if (closing || !queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Asks the writer to complete the current file once what is buffered now is written (the
     * recorded connections are all closed). Any thread; does not wait.
     */
    public void finishFile() {
        queue.offer(FINISH);
    }

    /**
     * @return the counters now
     */
    public RecorderStats stats() {
        return new RecorderStats(
                recorded.get(),
                dropped.get(),
                files.filesCompleted(),
                files.bytesWritten(),
                files.writeErrors(),
                queue.size());
    }

    /**
     * Writes what is buffered, completes the file and stops the writer, waiting at most {@code
     * close-timeout}. Idempotent.
     */
    @Override
    public void close() {
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will: closing twice is harmless
            }
        }
        closing = true;
        queue.offer(FINISH);
        try {
            writer.join(Math.max(1, settings.closeTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn(
                    "recorder: the writer did not finish within close-timeout = {} ({} entries"
                            + " still buffered); it stops now and {} stays incomplete",
                    settings.closeTimeout(),
                    queue.size(),
                    files.partPath());
            writer.interrupt();
        }
    }

    // ------------------------------------------------ writer thread

    private void run() {
        long pollNanos = Math.min(settings.flushInterval().toNanos(), 200_000_000L);
        try {
            while (true) {
                Object o = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
                long now = nanoClock.getAsLong();
                if (o instanceof Entry e) {
                    write(e, now);
                } else if (o == FINISH || (o == null && closing)) {
                    complete();
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                }
                if (files.isOpen()) {
                    if (files.tooOld(now)) {
                        complete();
                    } else if (files.flushDue(now)) {
                        files.flush(now);
                    }
                }
            }
        } catch (InterruptedException e) {
            files.abandon("interrupted while closing");
        }
    }

    private void write(Entry e, long now) {
        long d = dropped.get() - droppedNoted;
        if (!files.isOpen() && !files.open(now)) {
            dropped.incrementAndGet();
            return;
        }
        try {
            if (d > 0) {
                droppedNoted += d;
                files.note(new Entry.Dropped("", e.nanos(), d));
                LOG.warn(
                        "recorder: {} entries were not recorded (buffer of {} full: the disk or the"
                                + " writer is too slow; raise {}.buffer.capacity or record less)",
                        d,
                        settings.bufferCapacity(),
                        RecorderSettings.PATH);
            }
            files.write(e);
            recorded.incrementAndGet();
            if (files.tooBig()) {
                complete();
            }
        } catch (IOException ex) {
            files.failed("write", ex);
        }
    }

    /** Completes the open file, with a note of the entries dropped since the last one. */
    private void complete() {
        if (!files.isOpen()) {
            return;
        }
        long d = dropped.get() - droppedNoted;
        Entry.Dropped note = null;
        if (d > 0) {
            droppedNoted += d;
            note = new Entry.Dropped("", nanoClock.getAsLong(), d);
        }
        files.complete(note);
    }
}
