package io.tickmux.transport.replay;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code tickmux.transport.recording}, read eagerly: every problem is reported at once with its
 * full path. Defaults are in the module's {@code reference.conf}.
 *
 * @param delegate the transport whose connections are recorded (e.g. {@code massive})
 * @param dir the directory the files go to (created if missing)
 * @param maxFileBytes a file is completed and the next begun once this many compressed bytes are
 *     written
 * @param maxFileAge a file is completed once it is this old; zero for no limit
 * @param flushInterval how often the open file is flushed to disk, so a recorder that is killed
 *     leaves a readable file up to the last flush
 * @param bufferCapacity entries held between the transport threads and the writer; when full, new
 *     entries are dropped and counted (the transport never waits)
 * @param closeTimeout the most time closing waits for the writer to write what is buffered
 */
public record RecorderSettings(
        String delegate,
        Path dir,
        long maxFileBytes,
        Duration maxFileAge,
        Duration flushInterval,
        int bufferCapacity,
        Duration closeTimeout) {

    /** The path of these settings. */
    public static final String PATH = "tickmux.transport.recording";

    public RecorderSettings {
        requireNonNull(delegate, "delegate is null");
        requireNonNull(dir, "dir is null");
        requireNonNull(maxFileAge, "maxFileAge is null");
        requireNonNull(flushInterval, "flushInterval is null");
        requireNonNull(closeTimeout, "closeTimeout is null");
        if (maxFileBytes < 1 || bufferCapacity < 1) {
            throw new IllegalArgumentException("maxFileBytes and bufferCapacity must be positive");
        }
    }

    /**
     * @param root the whole configuration
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static RecorderSettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        String delegate = r.string("delegate").trim();
        if (delegate.isEmpty() || delegate.equals(RecordingTransportFactory.NAME)) {
            r.problem(
                    "delegate",
                    "= '"
                            + delegate
                            + "' cannot be recorded: name the transport to record, e.g. massive");
        }
        String dir = r.string("dir").trim();
        if (dir.isEmpty()) {
            r.problem(
                    "dir",
                    "is empty: name the directory the recording goes to (env"
                            + " TICKMUX_RECORD_DIR)");
        }
        long maxBytes = bytes(r, "rotate.max-size");
        Duration maxAge = r.duration("rotate.max-age", Duration.ZERO);
        Duration flush = r.duration("flush-interval", Duration.ofMillis(10));
        int capacity = r.intIn("buffer.capacity", 16, 16_777_216);
        Duration close = r.duration("close-timeout", Duration.ZERO);
        r.finish();
        return new RecorderSettings(
                delegate, Path.of(dir), maxBytes, maxAge, flush, capacity, close);
    }

    private static long bytes(SettingsReader r, String key) {
        String v = r.string(key);
        long b;
        try {
            b = ConfigFactory.parseMap(Map.of("v", v)).getBytes("v");
        } catch (ConfigException e) {
            r.problem(key, "= '" + v + "' is not a size: use e.g. 64M, 512K or 1G");
            return 1;
        }
        if (b < 4096) {
            r.problem(key, "= " + v + " is too small: at least 4K");
            return 1;
        }
        return b;
    }

    /**
     * These settings with another directory (the quickstart's {@code --record DIR}).
     *
     * @param other the directory
     * @return a copy
     */
    public RecorderSettings withDir(Path other) {
        return new RecorderSettings(
                delegate,
                other,
                maxFileBytes,
                maxFileAge,
                flushInterval,
                bufferCapacity,
                closeTimeout);
    }
}
