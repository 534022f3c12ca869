package io.tickmux.transport.replay.internal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a recording, one file or a directory of rotated files in name order (names sort by time),
 * as one sequence of entries. A file that is cut short (no trailer: the recorder was killed) or
 * corrupt is not fatal: the entries before the fault are returned, the fault is counted and
 * described in {@link #problems()}, and reading goes on with the next file.
 *
 * <p>Not thread-safe: one reader, one thread.
 */
public final class RecordingReader implements Closeable {

    /** A completed file's suffix; {@link #PART_SUFFIX} is appended while it is written. */
    public static final String SUFFIX = ".rec.gz";

    /** The suffix of a file being written (or left by a recorder that was killed). */
    public static final String PART_SUFFIX = ".part";

    /** An entry with its receive time in Unix nanoseconds. */
    public record Timed(Entry entry, long unixNanos) {}

    private final List<Path> files;
    private final boolean skipEvents;
    private final List<String> problems = new ArrayList<>();
    private int index = -1;
    private DataInputStream in;
    private RecordFormat.Reader reader;
    private RecordFormat.Header header;
    private Path current;
    private long entries;
    private int corruptFiles;
    private int completeFiles;

    /**
     * @param files the files, in playing order
     */
    public RecordingReader(List<Path> files) {
        this(files, false);
    }

    /**
     * @param files the files, in playing order
     * @param skipEvents whether market events are skipped unread (event entries come back with no
     *     events), for a pass over the control entries only
     */
    public RecordingReader(List<Path> files, boolean skipEvents) {
        this.files = List.copyOf(files);
        this.skipEvents = skipEvents;
    }

    /**
     * The files of a recording: the file itself, or a directory's recording files ({@code
     * *.rec.gz}, and a {@code *.rec.gz.part} a killed recorder left) sorted by name.
     *
     * @param fileOrDir a file or a directory
     * @return the files, never empty
     * @throws IllegalArgumentException naming the path and what is wrong with it
     */
    public static List<Path> files(Path fileOrDir) {
        if (!Files.exists(fileOrDir)) {
            throw new IllegalArgumentException(
                    "recording "
                            + fileOrDir
                            + " does not exist: give a recording file or the"
                            + " directory a recorder wrote to");
        }
        if (!Files.isDirectory(fileOrDir)) {
            return List.of(fileOrDir);
        }
        List<Path> out;
        try (Stream<Path> s = Files.list(fileOrDir)) {
            out =
                    s.filter(
                                    p -> {
                                        String n = p.getFileName().toString();
                                        return n.endsWith(SUFFIX)
                                                || n.endsWith(SUFFIX + PART_SUFFIX);
                                    })
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list recording directory " + fileOrDir, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "recording directory "
                            + fileOrDir
                            + " holds no recording files (*"
                            + SUFFIX
                            + "): record with --record DIR or tickmux.transport.recording first");
        }
        return out;
    }

    /**
     * @return the next entry in the recording, or {@code null} at its end
     */
    public Timed next() {
        while (true) {
            if (reader == null && !openNext()) {
                return null;
            }
            try {
                Object o = reader.next();
                if (o instanceof RecordFormat.Trailer) {
                    completeFiles++;
                    closeCurrent();
                    continue;
                }
                Entry e = (Entry) o;
                entries++;
                return new Timed(e, header.unixNanos() + (e.nanos() - header.monoNanos()));
            } catch (EOFException e) {
                fault(
                        "cut short (no end marker; the recorder was stopped before it closed the file)");
            } catch (IOException | RuntimeException e) {
                fault("corrupt: " + e.getMessage());
            }
        }
    }

    private boolean openNext() {
        while (++index < files.size()) {
            current = files.get(index);
            try {
                in =
                        new DataInputStream(
                                new BufferedInputStream(
                                        new GZIPInputStream(Files.newInputStream(current), 1 << 16),
                                        1 << 16));
                reader = new RecordFormat.Reader(in, skipEvents);
                header = reader.header();
                return true;
            } catch (NoSuchFileException e) {
                fault("gone (deleted while the replay ran)");
            } catch (EOFException e) {
                fault("cut short before its header");
            } catch (IOException | RuntimeException e) {
                fault("unreadable: " + e.getMessage());
            }
        }
        return false;
    }

    private void fault(String what) {
        corruptFiles++;
        problems.add(
                current
                        + " is "
                        + what
                        + "; the entries before the fault were played, the rest of the file"
                        + " skipped");
        closeCurrent();
    }

    private void closeCurrent() {
        reader = null;
        header = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // reading is over; nothing to save
            }
            in = null;
        }
    }

    /**
     * @return one line per file that was cut short or corrupt
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * @return files cut short or corrupt
     */
    public int corruptFiles() {
        return corruptFiles;
    }

    /**
     * @return files read to their end marker
     */
    public int completeFiles() {
        return completeFiles;
    }

    /**
     * @return the files of the recording
     */
    public List<Path> fileList() {
        return files;
    }

    /**
     * @return entries read so far
     */
    public long entries() {
        return entries;
    }

    @Override
    public void close() {
        closeCurrent();
        index = files.size();
    }
}
