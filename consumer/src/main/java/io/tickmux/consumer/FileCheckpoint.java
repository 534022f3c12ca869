package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * A {@link Checkpoint} that keeps the application's own state and the stream position in one file,
 * written whole: exactly-once for an application whose effect is in memory (counts, a book, a bar
 * builder) without a database.
 *
 * <p>Every {@code every} (checked after each message), the state supplier is asked for the state as
 * bytes and the file is replaced atomically (written beside it, forced to disk, renamed), holding
 * the position of the last message the state includes. After a crash, {@link #state()} returns that
 * state and {@link #load()} its position, so the consumer resumes right after it: the messages
 * handled since the last write are delivered again and applied to the state that did not see them.
 * Nothing is lost and nothing counts twice. A torn or foreign file is refused with a clear error,
 * never silently reset.
 *
 * <pre>{@code
 * FileCheckpoint cp = FileCheckpoint.at(Path.of("counts.ckpt"), Duration.ofSeconds(1), counts::toBytes);
 * counts.restore(cp.state());                  // empty on the first run
 * TickmuxConsumer.builder(source).checkpoint(cp).tickListener(counts::add).build().start();
 * }</pre>
 *
 * <p>Called on the consumer's delivery thread only; {@link #flush()} may be called on close.
 */
public final class FileCheckpoint implements Checkpoint {

    private static final int MAGIC = 0x544d5843; // "TMXC"
    private static final int FORMAT = 1;

    private final Path file;
    private final long everyNanos;
    private final Supplier<byte[]> state;
    private final Clock clock;
    private final long loadedPosition;
    private final byte[] loadedState;
    private long position;
    private long savedPosition;
    private long lastSave;

    private FileCheckpoint(Path file, Duration every, Supplier<byte[]> state, Clock clock) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        this.everyNanos = requireNonNull(every, "every is null").toNanos();
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (every.isNegative()) {
            throw new IllegalArgumentException("every is negative: " + every);
        }
        Snapshot s = read(this.file);
        this.loadedPosition = s.position;
        this.loadedState = s.state;
        this.position = s.position;
        this.savedPosition = s.position;
        this.lastSave = nanos();
    }

    /**
     * Opens (or prepares to create) a checkpoint file.
     *
     * @param file where the state and position live; its folder must exist
     * @param every how often to write it while messages flow (zero: after every message)
     * @param state returns the application's state, including every message handled so far
     * @return the checkpoint, with the last written state and position loaded
     * @throws UncheckedIOException when the file exists but is not a whole checkpoint
     */
    public static FileCheckpoint at(Path file, Duration every, Supplier<byte[]> state) {
        return new FileCheckpoint(file, every, state, Clock.systemUTC());
    }

    static FileCheckpoint at(Path file, Duration every, Supplier<byte[]> state, Clock clock) {
        return new FileCheckpoint(file, every, state, clock);
    }

    /**
     * @return the state written with the position {@link #load()} returns; empty when there is no
     *     file yet
     */
    public byte[] state() {
        return loadedState.clone();
    }

    @Override
    public long load() {
        return loadedPosition;
    }

    /** {@inheritDoc} No file yet means an empty state, so the stream is read from its start. */
    @Override
    public boolean keepsState() {
        return true;
    }

    @Override
    public void store(long position) {
        this.position = position;
        if (nanos() - lastSave >= everyNanos) {
            flush();
        }
    }

    /**
     * Writes the state and position now, if anything was handled since the last write. Call it when
     * the consumer is closed (after {@link TickmuxConsumer#close()}), so a clean stop resumes
     * exactly where it stopped.
     *
     * @throws UncheckedIOException when the file cannot be written (the old one is left whole)
     */
    public void flush() {
        lastSave = nanos();
        if (position == savedPosition) {
            return;
        }
        write(file, position, state.get());
        savedPosition = position;
    }

    /**
     * @return the position of the last write
     */
    public long savedPosition() {
        return savedPosition;
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }

    private record Snapshot(long position, byte[] state) {}

    private static Snapshot read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            int format = in.readInt();
            if (magic != MAGIC || format != FORMAT) {
                throw new IOException("not a tickmux consumer checkpoint (format " + format + ")");
            }
            long position = in.readLong();
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("negative state length");
            }
            byte[] state = in.readNBytes(length);
            long crc = in.readLong();
            if (state.length != length || crc != crc(position, state)) {
                throw new IOException("torn or corrupt (checksum mismatch)");
            }
            return new Snapshot(position, state);
        } catch (NoSuchFileException e) {
            return new Snapshot(0, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "consumer checkpoint "
                            + file
                            + " cannot be read: "
                            + e.getMessage()
                            + "; move it away to start from the durable consumer's position, or"
                            + " restore it from a backup",
                    e);
        }
    }

    private static void write(Path file, long position, byte[] state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream raw =
                            Files.newOutputStream(
                                    tmp,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING,
                                    StandardOpenOption.WRITE);
                    DataOutputStream out = new DataOutputStream(raw)) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(position);
                out.writeInt(state.length);
                out.write(state);
                out.writeLong(crc(position, state));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "consumer checkpoint "
                            + file
                            + " cannot be written ("
                            + e.getMessage()
                            + "): check the folder exists, is writable and has space",
                    e);
        }
    }

    private static long crc(long position, byte[] state) {
        CRC32 c = new CRC32();
        for (int i = 56; i >= 0; i -= 8) {
            c.update((int) (position >>> i));
        }
        c.update(state);
        return c.getValue();
    }
}
