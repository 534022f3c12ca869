package io.tickmux.spi.config;

import java.util.Objects;

/**
 * A secret such as an API key. Its {@link #toString()} never shows the value, so it can sit in
 * records, logs and exception messages without leaking; only {@link #reveal()} gives it out, at the
 * one place it is sent.
 */
public final class Secret {

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * @param value the secret; {@code null} is treated as empty
     * @return a secret holding it
     */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    /**
     * @return the secret value; send it, never log it
     */
    public String reveal() {
        return value;
    }

    /**
     * @return whether no secret was given
     */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /**
     * @return {@code "(empty)"} or {@code "****"} with the last two characters when long enough to
     *     identify the key without revealing it
     */
    @Override
    public String toString() {
        if (value.isEmpty()) {
            return "(empty)";
        }
        return value.length() >= 16 ? "****" + value.substring(value.length() - 2) : "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
