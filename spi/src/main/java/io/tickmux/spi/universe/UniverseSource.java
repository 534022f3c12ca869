package io.tickmux.spi.universe;

import java.util.List;
import java.util.Optional;

/**
 * Resolves a universe key (e.g. {@code tech_leaders:top_20}) to its tickers. Implementations are
 * thread-safe; they are called at start-up and on refresh, never per market event, and never while
 * the application holds a lock, so they may block on I/O (with a timeout of their own). The
 * application closes its source when it closes.
 */
public interface UniverseSource extends AutoCloseable {

    /**
     * The tickers of a universe.
     *
     * @param key the universe key; never blank
     * @return the tickers in the source's order without duplicates, or empty when the source has no
     *     such universe (an empty list means it exists and is empty). The built-in sources return
     *     valid symbols only (see {@link #read}).
     * @throws UniverseException when the source itself cannot be read (a file is malformed, a
     *     database is unreachable), with a message naming the problem and the fix
     */
    Optional<List<String>> tickers(String key);

    /**
     * The universe with the entries that were skipped: a row or element that is not a valid symbol
     * (see {@link Symbols#problem}) is skipped, saying where it was, and the rest is kept. The
     * default checks what {@link #tickers} returns; sources that read rows override it to say which
     * row.
     *
     * @param key the universe key; never blank
     * @return the universe, or empty when the source has no such universe
     * @throws UniverseException when the source itself cannot be read
     */
    default Optional<Universe> read(String key) {
        return tickers(key).map(Universe::of);
    }

    /**
     * A failure the source is riding out by serving the last universes it read (a database that is
     * unreachable), for health to show. The default reports none.
     *
     * @return what is wrong and how to fix it, or empty while the source is healthy
     */
    default Optional<String> degradation() {
        return Optional.empty();
    }

    /**
     * Releases what the source holds (a connection pool). Idempotent; logs rather than throws. The
     * default does nothing.
     */
    @Override
    default void close() {}

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
