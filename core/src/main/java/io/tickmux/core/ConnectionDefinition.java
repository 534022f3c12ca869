package io.tickmux.core;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The definition of one connection the manager runs.
 *
 * @param id stable id, e.g. {@code connection_1}; matches {@code [A-Za-z0-9_.-]+}
 * @param name a human name, e.g. {@code primary}; defaults to the id
 * @param capacity most tickers the connection may hold; positive
 * @param tags labels routers may use; copied
 * @param transportSettings per-connection transport settings (an own API key, URL or channels);
 *     empty when none
 */
public record ConnectionDefinition(
        String id, String name, int capacity, Set<String> tags, Config transportSettings) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    public ConnectionDefinition {
        requireNonNull(id, "id is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "connection id '"
                            + id
                            + "' is invalid: use letters, digits, '_', '-' or '.' (e.g."
                            + " connection_1)");
        }
        name = name == null || name.isBlank() ? id : name;
        if (capacity <= 0) {
            throw new IllegalArgumentException(
                    "capacity of connection '" + id + "' must be positive, was " + capacity);
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        transportSettings = transportSettings == null ? ConfigFactory.empty() : transportSettings;
    }

    /**
     * A connection with the given id, no tags and the manager's default capacity ({@code
     * tickmux.core.max-tickers-per-connection}, applied when the connection is added).
     *
     * @param id the id
     * @return a new definition
     */
    public static ConnectionDefinition of(String id) {
        return new ConnectionDefinition(id, id, Integer.MAX_VALUE, Set.of(), null);
    }

    /**
     * A copy with another capacity.
     *
     * @param newCapacity most tickers; positive
     * @return a new definition
     */
    public ConnectionDefinition withCapacity(int newCapacity) {
        return new ConnectionDefinition(id, name, newCapacity, tags, transportSettings);
    }

    /**
     * A copy with another name.
     *
     * @param newName the name
     * @return a new definition
     */
    public ConnectionDefinition withName(String newName) {
        return new ConnectionDefinition(id, newName, capacity, tags, transportSettings);
    }

    @Override
    public String toString() {
        // transportSettings may hold an API key: never print them.
        return "ConnectionDefinition[id=" + id + ", name=" + name + ", capacity=" + capacity + "]";
    }
}
