package io.tickmux.transport.replay;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.tickmux.spi.config.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code tickmux.transport.replay}, read eagerly: every problem is reported at once with its full
 * path. Defaults are in the module's {@code reference.conf}.
 *
 * @param path a recording file, or the directory a recorder wrote (its files are played in name
 *     order, which is time order)
 * @param speed 1 for real time, N for N times faster, {@link Double#POSITIVE_INFINITY} for as fast
 *     as possible ({@code max})
 * @param gateTimeout the most time the replay waits for the manager to do what the recorded manager
 *     did before a recorded answer can be played (connect before {@code connected}, subscribe
 *     before an ack); past it the answer is skipped and counted
 */
public record ReplaySettings(Path path, double speed, Duration gateTimeout) {

    /** The path of these settings. */
    public static final String PATH = "tickmux.transport.replay";

    public ReplaySettings {
        requireNonNull(path, "path is null");
        requireNonNull(gateTimeout, "gateTimeout is null");
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, got " + speed);
        }
    }

    /**
     * @param root the whole configuration
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static ReplaySettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        String path = r.string("path").trim();
        if (path.isEmpty()) {
            r.problem(
                    "path",
                    "is empty: name the recording file or directory to replay (env"
                            + " TICKMUX_REPLAY_PATH)");
        }
        String speedText = r.string("speed");
        double speed = 1;
        try {
            speed = parseSpeed(speedText);
        } catch (IllegalArgumentException e) {
            r.problem("speed", "= " + e.getMessage());
        }
        Duration gate = r.duration("gate-timeout", Duration.ofMillis(1));
        r.finish();
        return new ReplaySettings(Path.of(path.isEmpty() ? "." : path), speed, gate);
    }

    /**
     * Parses a speed: {@code max}, or a positive number (1 = real time, 10 = ten times faster, 0.5
     * = half speed).
     *
     * @param text the speed
     * @return the factor; {@link Double#POSITIVE_INFINITY} for {@code max}
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static double parseSpeed(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double d = Double.parseDouble(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
            if (d > 0 && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "'"
                        + text
                        + "' is not a speed: use 1 (real time), a positive factor such as 10 or"
                        + " 0.5, or max (as fast as possible)");
    }

    /**
     * @return whether the replay runs as fast as possible
     */
    public boolean asFastAsPossible() {
        return Double.isInfinite(speed);
    }

    /**
     * These settings with another recording and speed (the quickstart's {@code --replay} and {@code
     * --speed}).
     *
     * @param otherPath the recording
     * @param otherSpeed the speed
     * @return a copy
     */
    public ReplaySettings with(Path otherPath, double otherSpeed) {
        return new ReplaySettings(otherPath, otherSpeed, gateTimeout);
    }

    @Override
    public String toString() {
        return "ReplaySettings[path="
                + path
                + ", speed="
                + (asFastAsPossible() ? "max" : String.valueOf(speed))
                + ", gateTimeout="
                + gateTimeout
                + "]";
    }
}
