package io.tickmux.transport.replay.internal;

import io.tickmux.transport.replay.RecorderSettings;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording's files, one open at a time: named {@code tickmux-<UTC time>-<seq>.rec.gz} so names
 * sort by time, written as {@code <name>.part} (a gzip stream: the header, a state entry per
 * connection known so far, the entries) and renamed when complete, after the trailer. It says when
 * the open file is due for a flush or a rotation ({@code flush-interval}, {@code rotate.max-size},
 * {@code rotate.max-age}).
 *
 * <p>A file that cannot be created, written, flushed or completed is counted and logged with its
 * path and the fix, left as {@code .part}, and no new file is opened for a second.
 *
 * <p>Not thread-safe: the recorder's writer thread's; the counters and {@link #partPath()} may be
 * read from any thread.
 */
final class RecordingFiles {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final RecorderSettings settings;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Recorder.Opener opener;
    private final RecordFormat.Writer format = new RecordFormat.Writer();
    private final ConnectionStates states = new ConnectionStates();

    private final AtomicLong filesCompleted = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile Path partPath;

    // writer thread only
    private int sequence;
    private Path finalPath;
    private DataOutputStream out;
    private long fileEntries;
    private long fileBytesBase;
    private long fileOpenedNanos;
    private long lastFlushNanos;
    private long retryOpenAt;

    /**
     * @param settings where, and when to flush and rotate
     * @param clock Unix time for file names and headers
     * @param nanoClock the monotonic receive clock
     * @param opener creates files
     */
    RecordingFiles(
            RecorderSettings settings,
            Clock clock,
            LongSupplier nanoClock,
            Recorder.Opener opener) {
        this.settings = settings;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.opener = opener;
    }

    /**
     * @param at when the file is opened
     * @param sequence the file's number, from 1
     * @return the file's name when complete
     */
    static String fileName(Instant at, int sequence) {
        return "tickmux-"
                + NAME_TIME.format(at)
                + "-"
                + String.format(Locale.ROOT, "%06d", sequence)
                + RecordingReader.SUFFIX;
    }

    /**
     * @return whether a file is open
     */
    boolean isOpen() {
        return out != null;
    }

    /**
     * Opens the next file, unless a failure less than a second ago holds it back.
     *
     * @param now on the receive clock
     * @return whether a file is open now
     */
    boolean open(long now) {
        if (now - retryOpenAt < 0) {
            return false;
        }
        Instant at = clock.instant();
        String name = fileName(at, ++sequence);
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
            for (Entry.State s : states.states(now)) {
                format.write(out, s);
            }
            LOG.info("recorder: writing {}", partPath);
            return true;
        } catch (IOException ex) {
            failed("create", ex);
            return false;
        }
    }

    /**
     * Writes an entry to the open file, counted in its trailer and followed for the state entries
     * of the next file.
     *
     * @param e the entry
     * @throws IOException when it cannot be written (then call {@link #failed})
     */
    void write(Entry e) throws IOException {
        format.write(out, e);
        fileEntries++;
        states.track(e);
    }

    /**
     * Writes the recorder's note of entries it dropped to the open file.
     *
     * @param note the note
     * @throws IOException when it cannot be written (then call {@link #failed})
     */
    void note(Entry.Dropped note) throws IOException {
        format.write(out, note);
    }

    /**
     * @return whether the open file has reached {@code rotate.max-size} compressed bytes
     */
    boolean tooBig() {
        return bytesWritten.get() - fileBytesBase >= settings.maxFileBytes();
    }

    /**
     * @param now on the receive clock
     * @return whether the open file has reached {@code rotate.max-age} (when set)
     */
    boolean tooOld(long now) {
        long maxAge = settings.maxFileAge().toNanos();
        return maxAge > 0 && now - fileOpenedNanos >= maxAge;
    }

    /**
     * @param now on the receive clock
     * @return whether {@code flush-interval} has passed since the last flush
     */
    boolean flushDue(long now) {
        return now - lastFlushNanos >= settings.flushInterval().toNanos();
    }

    /**
     * Flushes the open file, so a recorder that is killed leaves it readable to here.
     *
     * @param now on the receive clock
     */
    void flush(long now) {
        lastFlushNanos = now;
        try {
            out.flush();
        } catch (IOException ex) {
            failed("flush", ex);
        }
    }

    /**
     * Completes the open file: the last drop note, the trailer, closed and renamed to its final
     * name. Does nothing when no file is open.
     *
     * @param note the recorder's note of entries dropped since the last one, or {@code null}
     */
    void complete(Entry.Dropped note) {
        if (out == null) {
            return;
        }
        try {
            if (note != null) {
                format.write(out, note);
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

    /**
     * A file operation failed: counted, logged, the file given up, and no file opened for a second.
     *
     * @param what the operation
     * @param ex why
     */
    void failed(String what, IOException ex) {
        writeErrors.incrementAndGet();
        LOG.error(
                "recorder: could not {} {}: {}; entries are dropped and counted until a new file"
                        + " can be written (retry in 1s): check that {} is writable and has space",
                what,
                partPath,
                ex.toString(),
                settings.dir());
        abandon(what + " failed");
        retryOpenAt = nanoClock.getAsLong() + RETRY_NANOS;
    }

    /**
     * Gives up the open file as it is: it keeps its {@code .part} name (a replay reports it).
     *
     * @param why for the log
     */
    void abandon(String why) {
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

    /**
     * @return the file being written (or the last one), under its {@code .part} name; any thread
     */
    Path partPath() {
        return partPath;
    }

    /**
     * @return files completed; any thread
     */
    long filesCompleted() {
        return filesCompleted.get();
    }

    /**
     * @return compressed bytes written; any thread
     */
    long bytesWritten() {
        return bytesWritten.get();
    }

    /**
     * @return failed file operations; any thread
     */
    long writeErrors() {
        return writeErrors.get();
    }
}
