package io.tickmux.routing.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one module's configuration subtree eagerly, collecting every problem instead of stopping at
 * the first. Call {@link #finish()} after the last read: it adds a problem for every key in the
 * subtree that nothing read (with a did-you-mean) and throws {@link ConfigProblems} if there were
 * any. Defaults live in the module's {@code reference.conf}, never in the reader's caller: a key
 * the configuration lacks is a problem. For routers and every other module (core's {@code
 * SettingsReader} is this reader).
 *
 * <p>Not thread-safe; use one reader per settings record, at start-up.
 */
public class StrictConfig {

    private final Config config;
    private final String path;
    private final Set<String> read = new HashSet<>();
    private final Set<String> openPrefixes = new HashSet<>();
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
            problems.add(path + " must be an object: " + e.getMessage());
            sub = null;
        }
        if (sub == null) {
            problems.add(
                    path
                            + " is missing: is the module's reference.conf on the classpath? Load"
                            + " configuration with ConfigFactory.load()");
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
        openPrefixes.add(key);
        read.add(key);
        try {
            return config.hasPath(key) ? config.getConfig(key) : ConfigFactory.empty();
        } catch (ConfigException e) {
            problems.add(full(key) + " must be an object: " + e.getMessage());
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
        read.add(key);
        try {
            int v = config.getInt(key);
            if (v < min || v > max) {
                problems.add(
                        full(key)
                                + " = "
                                + v
                                + origin(key)
                                + " is out of range: use "
                                + min
                                + ".."
                                + max);
                return min;
            }
            return v;
        } catch (ConfigException e) {
            problems.add(describe(key, e, "an integer between " + min + " and " + max));
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
        read.add(key);
        try {
            double v = config.getDouble(key);
            if (v < min || v > max || Double.isNaN(v)) {
                problems.add(
                        full(key)
                                + " = "
                                + v
                                + origin(key)
                                + " is out of range: use "
                                + min
                                + ".."
                                + max);
                return min;
            }
            return v;
        } catch (ConfigException e) {
            problems.add(describe(key, e, "a number between " + min + " and " + max));
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
        read.add(key);
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            problems.add(describe(key, e, "true or false"));
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
        read.add(key);
        try {
            return config.getString(key);
        } catch (ConfigException e) {
            problems.add(describe(key, e, "a string"));
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
        read.add(key);
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
            problems.add(describe(key, e, "a list such as [A, B] or a string \"A,B\""));
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
        read.add(key);
        try {
            Duration d = config.getDuration(key);
            if (d.compareTo(min) < 0) {
                problems.add(
                        full(key) + " = " + d + origin(key) + " is too short: use at least " + min);
                return min;
            }
            return d;
        } catch (ConfigException e) {
            problems.add(describe(key, e, "a duration such as 500ms, 30s or 5m"));
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
        read.add(key);
        try {
            if (config.getValue(key).valueType() == ConfigValueType.NUMBER
                    || config.getString(key).trim().matches("-?\\d+(\\.\\d+)?")) {
                double seconds = Double.parseDouble(config.getString(key).trim());
                Duration d = Duration.ofMillis(Math.round(seconds * 1000));
                if (d.compareTo(min) < 0) {
                    problems.add(
                            full(key)
                                    + " = "
                                    + d
                                    + origin(key)
                                    + " is too short: use at least "
                                    + min);
                    return min;
                }
                return d;
            }
        } catch (ConfigException e) {
            problems.add(describe(key, e, "a duration such as 30s, or a number of seconds"));
            return min;
        }
        read.remove(key);
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
            problems.add(
                    full(key)
                            + " = '"
                            + s
                            + "'"
                            + origin(key)
                            + " is not valid: use one of "
                            + names
                            + didYouMean(s.trim().toLowerCase(Locale.ROOT), names));
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
        Set<String> known = new TreeSet<>(read);
        Set<String> present = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            present.add(e.getKey());
        }
        // An empty object ({@code sektors = {}}) has no leaf: look at the top-level keys too.
        for (String top : config.root().keySet()) {
            String key = ConfigUtil.joinPath(top);
            boolean covered = false;
            for (String p : present) {
                if (p.equals(key) || p.startsWith(key + ".")) {
                    covered = true;
                    break;
                }
            }
            boolean readBelow = read.contains(key);
            for (String r : read) {
                readBelow |= r.startsWith(key + ".");
            }
            if (!covered && !readBelow) {
                present.add(key);
            }
        }
        for (String key : present) {
            if (read.contains(key) || underOpenPrefix(key)) {
                continue;
            }
            String suggestion = closest(key, known);
            problems.add(
                    "unknown key "
                            + full(key)
                            + (suggestion == null
                                    ? ": remove it"
                                    : ": did you mean " + full(suggestion) + "?"));
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

    private boolean underOpenPrefix(String key) {
        for (String p : openPrefixes) {
            if (key.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a key's value came from, for messages: {@code " (environment variable X)"}, {@code "
     * (application.conf: 12)"}; empty for a default from a reference.conf.
     *
     * @param key key relative to this reader's path
     * @return the origin in parentheses with a leading space, or {@code ""}
     */
    public String origin(String key) {
        try {
            if (!config.hasPath(key)) {
                return "";
            }
            ConfigOrigin o = config.getValue(key).origin();
            String d = o == null ? null : o.description();
            // A default, or a config parsed from a string (tests, code), has no origin worth a
            // word.
            return d == null || d.contains("reference.conf") || d.startsWith("String")
                    ? ""
                    : " (" + d + ")";
        } catch (ConfigException e) {
            return "";
        }
    }

    private String describe(String key, ConfigException e, String expected) {
        if (e instanceof ConfigException.Missing) {
            return full(key) + " is missing: set it to " + expected;
        }
        String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
        return full(key) + " has the wrong type" + origin + ": use " + expected;
    }

    /**
     * A did-you-mean suffix for a name that matched nothing.
     *
     * @param name what was given
     * @param candidates the valid names
     * @return {@code "; did you mean 'x'?"} when one is close, else {@code ""}
     */
    public static String didYouMean(String name, Collection<String> candidates) {
        String c = closest(name, new TreeSet<>(candidates));
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    static String closest(String key, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /**
     * The edit distance between two names, for did-you-mean.
     *
     * @param a a name
     * @param b another
     * @return the Levenshtein distance
     */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
