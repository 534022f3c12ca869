package io.tickmux.routing.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What each problem says: the key's full path, the value and where it came from, and how to fix it.
 * The reader passes the full path and the origin it made, so a subclass's {@link StrictConfig#full}
 * and {@link StrictConfig#origin} are what every message shows. Stateless.
 */
final class ProblemText {

    private ProblemText() {}

    /**
     * @param path the reader's subtree
     * @return the problem of a configuration without it
     */
    static String missingSubtree(String path) {
        return path
                + " is missing: is the module's reference.conf on the classpath? Load"
                + " configuration with ConfigFactory.load()";
    }

    /**
     * @param fullKey the full path of a key that should hold an object
     * @param e what Typesafe Config said
     * @return the problem
     */
    static String notAnObject(String fullKey, ConfigException e) {
        return fullKey + " must be an object: " + e.getMessage();
    }

    /**
     * @param fullKey the key's full path
     * @param value what it holds
     * @param origin where it came from, as {@link #origin} gives it
     * @param min the smallest valid value
     * @param max the largest valid value
     * @return the problem of a number out of its range
     */
    static String outOfRange(String fullKey, Object value, String origin, Object min, Object max) {
        return fullKey + " = " + value + origin + " is out of range: use " + min + ".." + max;
    }

    /**
     * @param fullKey the key's full path
     * @param value what it holds
     * @param origin where it came from, as {@link #origin} gives it
     * @param min the shortest valid duration
     * @return the problem of a duration below its minimum
     */
    static String tooShort(String fullKey, Duration value, String origin, Duration min) {
        return fullKey + " = " + value + origin + " is too short: use at least " + min;
    }

    /**
     * @param fullKey the key's full path
     * @param value what it holds
     * @param origin where it came from, as {@link #origin} gives it
     * @param names the valid names, in kebab case
     * @return the problem of an enum name that is none of them, with a did-you-mean
     */
    static String notOneOf(String fullKey, String value, String origin, List<String> names) {
        return fullKey
                + " = '"
                + value
                + "'"
                + origin
                + " is not valid: use one of "
                + names
                + DidYouMean.suffix(value.trim().toLowerCase(Locale.ROOT), names);
    }

    /**
     * @param fullKey the key's full path
     * @param e why reading it failed
     * @param expected what the key should hold, e.g. {@code "a string"}
     * @return the problem of a key missing or of the wrong type, with where the wrong value came
     *     from
     */
    static String unreadable(String fullKey, ConfigException e, String expected) {
        if (e instanceof ConfigException.Missing) {
            return fullKey + " is missing: set it to " + expected;
        }
        String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
        return fullKey + " has the wrong type" + origin + ": use " + expected;
    }

    /**
     * @param fullKey the full path of a key nothing read
     * @param fullSuggestion the full path of the closest key read, or null
     * @return the problem, with a did-you-mean or the advice to remove the key
     */
    static String unknownKey(String fullKey, String fullSuggestion) {
        return "unknown key "
                + fullKey
                + (fullSuggestion == null
                        ? ": remove it"
                        : ": did you mean " + fullSuggestion + "?");
    }

    /**
     * Where a key's value came from: {@code " (environment variable X)"}, {@code "
     * (application.conf: 12)"}; empty for a default from a reference.conf, for a configuration
     * parsed from a string, and for a key that is absent or cannot be read.
     *
     * @param config the reader's subtree
     * @param key key relative to it
     * @return the origin in parentheses with a leading space, or {@code ""}
     */
    static String origin(Config config, String key) {
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
}
