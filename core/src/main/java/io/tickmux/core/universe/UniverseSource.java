package io.tickmux.core.universe;

import java.util.List;
import java.util.Optional;

/**
 * Resolves a universe key (e.g. {@code tech_leaders:top_20}) to its tickers. Implementations are
 * thread-safe; they are called at start-up and on refresh, never per market event.
 */
public interface UniverseSource {

    /**
     * The tickers of a universe.
     *
     * @param key the universe key; never blank
     * @return the tickers in the source's order without duplicates, or empty when the source has no
     *     such universe (an empty list means it exists and is empty)
     * @throws UniverseException when the source itself cannot be read (a file is malformed, a
     *     database is unreachable), with a message naming the problem and the fix
     */
    Optional<List<String>> tickers(String key);

    /**
     * A failure the source is riding out by serving the last universes it read (a database that is
     * unreachable), for health to show. The default reports none.
     *
     * @return what is wrong and how to fix it, or empty while the source is healthy
     */
    default Optional<String> degradation() {
        return Optional.empty();
    }

    /** A source that cannot be read. */
    final class UniverseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is wrong and how to fix it
         * @param cause the underlying failure, or {@code null}
         */
        public UniverseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
