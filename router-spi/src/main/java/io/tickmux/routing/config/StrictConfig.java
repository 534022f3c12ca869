package io.tickmux.routing.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Reads one module's configuration subtree eagerly, collecting every problem instead of stopping at
 * the first. Call {@link #finish()} after the last read: it adds a problem for every key in the
 * subtree that nothing read (with a did-you-mean) and throws {@link ConfigProblems} if there were
 * any. Defaults live in the module's {@code reference.conf}, never in the reader's caller: a key
 * the configuration lacks is a problem. For routers and every other module (core's {@code
 * SettingsReader} is this reader).
 *
 * <p>Not thread-safe; use one reader per settings record, at start-up.
 *
 * <p>This class is the typed reads and the problems collected. Its package-private parts: {@code
 * ReadKeys} (which keys were read, so which are unknown), {@code ProblemText} (what each problem
 * says) and {@code DidYouMean} (the closest valid name).
 */
public class StrictConfig {

    private final Config config;
    private final String path;
    private final ReadKeys keys = new ReadKeys();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param root the whole configuration
     * @param path the subtree this reader owns, e.g. {@code tickmux.core}
     */
    public StrictConfig(Config root, String path) {
        this.path = path;
        Config sub;
        try {
            sub = root.hasPath(path) ? root.getConfig(path) : null;
        } catch (ConfigException.WrongType e) {
            problems.add(ProblemText.notAnObject(path, e));
            sub = null;
        }
        if (sub == null) {
            problems.add(ProblemText.missingSubtree(path));
            sub = ConfigFactory.empty();
        }
        this.config = sub;
    }

    /**
     * Whether an optional key is set (for keys of a user's map entry, which have no default).
     *
     * @param key a key relative to this reader's path
     * @return whether it is present
     */
    public boolean has(String key) {
        return config.hasPath(key);
    }

    /**
     * Marks a key as free-form: any keys below it are accepted (a map the module reads itself).
     *
     * @param key a key relative to this reader's path
     * @return the subtree, empty when absent
     */
    public Config freeForm(String key) {
        keys.freeForm(key);
        try {
            return config.hasPath(key) ? config.getConfig(key) : ConfigFactory.empty();
        } catch (ConfigException e) {
            problems.add(ProblemText.notAnObject(full(key), e));
            return ConfigFactory.empty();
        }
    }

    /**
     * Reads an integer within bounds.
     *
     * @param key key relative to this reader's path
     * @param min smallest valid value
     * @param max largest valid value
     * @return the value, or {@code min} after recording a problem
     */
    public int intIn(String key, int min, int max) {
        keys.read(key);
        try {
            int v = config.getInt(key);
            if (v < min || v > max) {
                problems.add(ProblemText.outOfRange(full(key), v, origin(key), min, max));
                return min;
            }
            return v;
        } catch (ConfigException e) {
            problems.add(
                    ProblemText.unreadable(
                            full(key), e, "an integer between " + min + " and " + max));
            return min;
        }
    }

    /**
     * Reads a number within bounds.
     *
     * @param key key relative to this reader's path
     * @param min smallest valid value
     * @param max largest valid value
     * @return the value, or {@code min} after recording a problem
     */
    public double doubleIn(String key, double min, double max) {
        keys.read(key);
        try {
            double v = config.getDouble(key);
            if (v < min || v > max || Double.isNaN(v)) {
                problems.add(ProblemText.outOfRange(full(key), v, origin(key), min, max));
                return min;
            }
            return v;
        } catch (ConfigException e) {
            problems.add(
                    ProblemText.unreadable(
                            full(key), e, "a number between " + min + " and " + max));
            return min;
        }
    }

    /**
     * Reads a boolean ({@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}).
     *
     * @param key key relative to this reader's path
     * @return the value, or {@code false} after recording a problem
     */
    public boolean bool(String key) {
        keys.read(key);
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            problems.add(ProblemText.unreadable(full(key), e, "true or false"));
            return false;
        }
    }

    /**
     * Reads a string.
     *
     * @param key key relative to this reader's path
     * @return the value, or {@code ""} after recording a problem
     */
    public String string(String key) {
        keys.read(key);
        try {
            return config.getString(key);
        } catch (ConfigException e) {
            problems.add(ProblemText.unreadable(full(key), e, "a string"));
            return "";
        }
    }

    /**
     * Reads a list of strings. A comma-separated string is accepted too ({@code "AAPL,MSFT"}, as
     * environment variables give it); blanks are dropped.
     *
     * @param key key relative to this reader's path
     * @return the values, or an empty list after recording a problem
     */
    public List<String> stringList(String key) {
        keys.read(key);
        try {
            if (config.getValue(key).valueType() == ConfigValueType.STRING) {
                List<String> out = new ArrayList<>();
                for (String s : config.getString(key).split(",")) {
                    if (!s.isBlank()) {
                        out.add(s.trim());
                    }
                }
                return out;
            }
            List<String> out = new ArrayList<>();
            for (String s : config.getStringList(key)) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        } catch (ConfigException e) {
            problems.add(
                    ProblemText.unreadable(
                            full(key), e, "a list such as [A, B] or a string \"A,B\""));
            return List.of();
        }
    }

    /**
     * Reads a duration such as {@code 500ms}, {@code 30s} or {@code 5m}; a bare number is
     * milliseconds.
     *
     * @param key key relative to this reader's path
     * @param min the shortest valid duration
     * @return the value, or {@code min} after recording a problem
     */
    public Duration duration(String key, Duration min) {
        keys.read(key);
        try {
            Duration d = config.getDuration(key);
            if (d.compareTo(min) < 0) {
                problems.add(ProblemText.tooShort(full(key), d, origin(key), min));
                return min;
            }
            return d;
        } catch (ConfigException e) {
            problems.add(
                    ProblemText.unreadable(full(key), e, "a duration such as 500ms, 30s or 5m"));
            return min;
        }
    }

    /**
     * Reads a duration where a bare number means seconds, as the original application's environment
     * variables give it ({@code WEBSOCKET_HEALTH_CHECK_INTERVAL=30}); {@code 500ms}, {@code 30s}
     * and {@code 5m} work too.
     *
     * @param key key relative to this reader's path
     * @param min the shortest valid duration
     * @return the value, or {@code min} after recording a problem
     */
    public Duration durationOrSeconds(String key, Duration min) {
        keys.read(key);
        try {
            if (config.getValue(key).valueType() == ConfigValueType.NUMBER
                    || config.getString(key).trim().matches("-?\\d+(\\.\\d+)?")) {
                double seconds = Double.parseDouble(config.getString(key).trim());
                Duration d = Duration.ofMillis(Math.round(seconds * 1000));
                if (d.compareTo(min) < 0) {
                    problems.add(ProblemText.tooShort(full(key), d, origin(key), min));
                    return min;
                }
                return d;
            }
        } catch (ConfigException e) {
            problems.add(
                    ProblemText.unreadable(
                            full(key), e, "a duration such as 30s, or a number of seconds"));
            return min;
        }
        keys.forget(key);
        return duration(key, min);
    }

    /**
     * Reads an enum constant written in kebab case ({@code drop-oldest} for {@code DROP_OLDEST}).
     *
     * @param key key relative to this reader's path
     * @param type the enum type
     * @param <E> the enum
     * @return the value, or the first constant after recording a problem
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        E[] all = type.getEnumConstants();
        String s = string(key);
        String wanted = s.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : all) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        if (!s.isEmpty() || config.hasPath(key)) {
            List<String> names = new ArrayList<>();
            for (E e : all) {
                names.add(kebab(e));
            }
            problems.add(ProblemText.notOneOf(full(key), s, origin(key), names));
        }
        return all[0];
    }

    /**
     * Records a problem found by the caller.
     *
     * @param key key relative to this reader's path
     * @param message what is wrong and how to fix it
     */
    public void problem(String key, String message) {
        problems.add(full(key) + " " + message);
    }

    /**
     * The full path of a key, for messages.
     *
     * @param key key relative to this reader's path
     * @return {@code path.key}
     */
    public String full(String key) {
        return path + "." + key;
    }

    /**
     * The problems found so far, without the unknown-key check.
     *
     * @return a copy
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Adds a problem for every key nothing read, then throws if there were any problems.
     *
     * @throws ConfigProblems listing every problem
     */
    public void finish() {
        for (String key : keys.unread(config)) {
            String suggestion = keys.closestRead(key);
            problems.add(
                    ProblemText.unknownKey(
                            full(key), suggestion == null ? null : full(suggestion)));
        }
        if (!problems.isEmpty()) {
            throw failure(List.copyOf(problems));
        }
    }

    /**
     * The exception {@link #finish()} throws; a subclass may throw its own kind.
     *
     * @param problems every problem
     * @return the exception
     */
    protected RuntimeException failure(List<String> problems) {
        return new ConfigProblems(problems);
    }

    /**
     * A reader of a subtree already taken out of the whole configuration (what a router factory is
     * given), naming keys by their full path in messages.
     *
     * @param subtree the module's settings
     * @param path where they sit in the whole configuration, e.g. {@code tickmux.routing.priority}
     * @return the reader
     */
    public static StrictConfig of(Config subtree, String path) {
        return new StrictConfig(subtree.atPath(path), path);
    }

    /**
     * The kebab-case spelling of an enum constant, as configuration writes it.
     *
     * @param e the constant
     * @return e.g. {@code drop-oldest}
     */
    public static String kebab(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Where a key's value came from, for messages: {@code " (environment variable X)"}, {@code "
     * (application.conf: 12)"}; empty for a default from a reference.conf.
     *
     * @param key key relative to this reader's path
     * @return the origin in parentheses with a leading space, or {@code ""}
     */
    public String origin(String key) {
        return ProblemText.origin(config, key);
    }

    /**
     * A did-you-mean suffix for a name that matched nothing.
     *
     * @param name what was given
     * @param candidates the valid names
     * @return {@code "; did you mean 'x'?"} when one is close, else {@code ""}
     */
    public static String didYouMean(String name, Collection<String> candidates) {
        return DidYouMean.suffix(name, candidates);
    }

    /**
     * The edit distance between two names, for did-you-mean.
     *
     * @param a a name
     * @param b another
     * @return the Levenshtein distance
     */
    public static int distance(String a, String b) {
        return DidYouMean.distance(a, b);
    }
}
