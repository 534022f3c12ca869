package io.tickmux.routing.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which keys of a reader's subtree were read, which are free-form (any key below them is accepted),
 * and so which keys of the configuration nothing read. Keys are relative to the reader's path. Not
 * thread-safe.
 */
final class ReadKeys {

    private final Set<String> read = new HashSet<>();
    private final Set<String> openPrefixes = new HashSet<>();

    /**
     * Records a key as read.
     *
     * @param key the key
     */
    void read(String key) {
        read.add(key);
    }

    /**
     * Forgets that a key was read (a reader that hands the key on to another read).
     *
     * @param key the key
     */
    void forget(String key) {
        read.remove(key);
    }

    /**
     * Records a key as read and every key below it as accepted.
     *
     * @param key the key
     */
    void freeForm(String key) {
        openPrefixes.add(key);
        read.add(key);
    }

    /**
     * The keys of a configuration that nothing read: every leaf neither read nor below a free-form
     * key, and every top-level key with no leaf (an empty object such as {@code sektors = {}}) when
     * nothing below it was read either.
     *
     * @param config the reader's subtree
     * @return the unread keys, sorted
     */
    SortedSet<String> unread(Config config) {
        SortedSet<String> present = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            present.add(e.getKey());
        }
        for (String top : config.root().keySet()) {
            String key = ConfigUtil.joinPath(top);
            if (!hasLeafAt(present, key) && !readAtOrBelow(key)) {
                present.add(key);
            }
        }
        SortedSet<String> unread = new TreeSet<>();
        for (String key : present) {
            if (!read.contains(key) && !underOpenPrefix(key)) {
                unread.add(key);
            }
        }
        return unread;
    }

    /**
     * The read key closest to an unread one, for a did-you-mean.
     *
     * @param key an unread key
     * @return the closest read key, or null when none is close
     */
    String closestRead(String key) {
        return DidYouMean.closest(key, new TreeSet<>(read));
    }

    private static boolean hasLeafAt(Set<String> present, String key) {
        for (String p : present) {
            if (p.equals(key) || p.startsWith(key + ".")) {
                return true;
            }
        }
        return false;
    }

    private boolean readAtOrBelow(String key) {
        if (read.contains(key)) {
            return true;
        }
        for (String r : read) {
            if (r.startsWith(key + ".")) {
                return true;
            }
        }
        return false;
    }

    private boolean underOpenPrefix(String key) {
        for (String p : openPrefixes) {
            if (key.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }
}
