package io.tickmux.transport.replay.internal;

import io.tickmux.spi.concurrent.Threads;
import io.tickmux.transport.replay.RecorderSettings;
import io.tickmux.transport.replay.RecorderStats;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
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
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final Object FINISH = new Object();
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

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
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Opener opener;
    private final ArrayBlockingQueue<Object> queue;
    private final Thread writer;
    private final RecordFormat.Writer format = new RecordFormat.Writer();
    private final Map<String, Shadow> shadows = new HashMap<>();
    private final Thread shutdownHook;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong filesCompleted = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile boolean closing;

    // writer thread only
    private long droppedNoted;
    private int sequence;
    private Path partPath;
    private Path finalPath;
    private DataOutputStream out;
    private long fileEntries;
    private long fileOpenedNanos;
    private long lastFlushNanos;
    private long retryOpenAt;

    /** What the writer knows of a connection, for the state entries a new file starts with. */
    private static final class Shadow {
        boolean connected;
        final Set<String> acked = new LinkedHashSet<>();
    }

    /**
     * @param settings where and how to write
     * @param clock Unix time for file names and headers (the manager's clock)
     * @param nanoClock the monotonic receive clock (the transports' clock, {@code
     *     System::nanoTime})
     * @param opener creates files
     */
    public Recorder(RecorderSettings settings, Clock clock, LongSupplier nanoClock, Opener opener) {
        this.settings = settings;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.opener = opener;
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
                filesCompleted.get(),
                bytesWritten.get(),
                writeErrors.get(),
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
                    partPath);
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
                if (out != null) {
                    if (settings.maxFileAge().toNanos() > 0
                            && now - fileOpenedNanos >= settings.maxFileAge().toNanos()) {
                        complete();
                    } else if (now - lastFlushNanos >= settings.flushInterval().toNanos()) {
                        flush(now);
                    }
                }
            }
        } catch (InterruptedException e) {
            abandon("interrupted while closing");
        }
    }

    private void write(Entry e, long now) {
        long d = dropped.get() - droppedNoted;
        if (out == null && !open(now)) {
            dropped.incrementAndGet();
            return;
        }
        try {
            if (d > 0) {
                droppedNoted += d;
                format.write(out, new Entry.Dropped("", e.nanos(), d));
                LOG.warn(
                        "recorder: {} entries were not recorded (buffer of {} full: the disk or the"
                                + " writer is too slow; raise {}.buffer.capacity or record less)",
                        d,
                        settings.bufferCapacity(),
                        RecorderSettings.PATH);
            }
            format.write(out, e);
            fileEntries++;
            recorded.incrementAndGet();
            track(e);
            if (bytesInFile() >= settings.maxFileBytes()) {
                complete();
            }
        } catch (IOException ex) {
            failed("write", ex);
        }
    }

    private long fileBytesBase;

    private long bytesInFile() {
        return bytesWritten.get() - fileBytesBase;
    }

    private boolean open(long now) {
        if (now - retryOpenAt < 0) {
            return false;
        }
        Instant at = clock.instant();
        String name =
                "tickmux-"
                        + NAME_TIME.format(at)
                        + "-"
                        + String.format(Locale.ROOT, "%06d", ++sequence)
                        + RecordingReader.SUFFIX;
        finalPath = settings.dir().resolve(name);
        partPath = settings.dir().resolve(name + RecordingReader.PART_SUFFIX);
        try {
            Files.createDirectories(settings.dir());
            OutputStream file = opener.open(partPath);
            OutputStream counting =
                    new FilterOutputStream(file) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                            bytesWritten.addAndGet(len);
                        }

                        @Override
                        public void write(int b) throws IOException {
                            out.write(b);
                            bytesWritten.incrementAndGet();
                        }
                    };
            out =
                    new DataOutputStream(
                            new BufferedOutputStream(
                                    new GZIPOutputStream(counting, 1 << 16, true), 1 << 16));
            fileBytesBase = bytesWritten.get();
            long unixNanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
            RecordFormat.writeHeader(out, unixNanos, now);
            fileEntries = 0;
            fileOpenedNanos = now;
            lastFlushNanos = now;
            for (Map.Entry<String, Shadow> s : shadows.entrySet()) {
                format.write(
                        out,
                        new Entry.State(
                                s.getKey(),
                                now,
                                s.getValue().connected,
                                new LinkedHashSet<>(s.getValue().acked)));
            }
            LOG.info("recorder: writing {}", partPath);
            return true;
        } catch (IOException ex) {
            failed("create", ex);
            return false;
        }
    }

    private void flush(long now) {
        lastFlushNanos = now;
        try {
            out.flush();
        } catch (IOException ex) {
            failed("flush", ex);
        }
    }

    /** Writes the end marker, closes and renames the file. */
    private void complete() {
        if (out == null) {
            return;
        }
        try {
            long d = dropped.get() - droppedNoted;
            if (d > 0) {
                droppedNoted += d;
                format.write(out, new Entry.Dropped("", nanoClock.getAsLong(), d));
            }
            RecordFormat.writeTrailer(out, fileEntries);
            out.close();
            out = null;
            try {
                Files.move(partPath, finalPath, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partPath, finalPath);
            }
            filesCompleted.incrementAndGet();
            LOG.info("recorder: completed {} ({} entries)", finalPath, fileEntries);
        } catch (IOException ex) {
            failed("complete", ex);
        }
    }

    private void failed(String what, IOException ex) {
        writeErrors.incrementAndGet();
        LOG.error(
                "recorder: could not {} {}: {}; entries are dropped and counted until a new file"
                        + " can be written (retry in 1s): check that {} is writable and has space",
                what,
                partPath,
                ex.toString(),
                settings.dir());
        abandon(what + " failed");
        retryOpenAt = nanoClock.getAsLong() + 1_000_000_000L;
    }

    /** Gives up the open file as it is: it keeps its {@code .part} name (a replay reports it). */
    private void abandon(String why) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing; the file stays as .part
            }
            out = null;
            LOG.warn("recorder: {} left incomplete ({})", partPath, why);
        }
    }

    /** Follows what each connection holds, for the state entries of the next file. */
    private void track(Entry e) {
        if (e.connectionId().isEmpty()) {
            return;
        }
        Shadow s = shadows.computeIfAbsent(e.connectionId(), k -> new Shadow());
        if (e instanceof Entry.Connected) {
            s.connected = true;
            s.acked.clear();
        } else if (e instanceof Entry.Disconnected) {
            s.connected = false;
            s.acked.clear();
        } else if (e instanceof Entry.Ack a) {
            if (a.subscribed()) {
                s.acked.add(a.symbol());
            } else {
                s.acked.remove(a.symbol());
            }
        }
    }
}
