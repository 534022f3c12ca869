package io.tickmux.spi.universe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A universe as a source read it: its valid tickers, in the source's order without duplicates, and
 * the entries that were skipped (a row without a symbol, a symbol such as {@code "AAPL MSFT"} or
 * {@code aapl}), each saying where it was and what is wrong with it.
 *
 * @param tickers the valid tickers
 * @param skipped one line per skipped entry, e.g. {@code row 3: 'AAPL MSFT' holds spaces ...}
 */
public record Universe(List<String> tickers, List<String> skipped) {

    /** Copies both lists. */
    public Universe {
        tickers = List.copyOf(tickers);
        skipped = List.copyOf(skipped);
    }

    /**
     * Checks symbols that carry no position of their own (a list in configuration, a plugin's
     * answer).
     *
     * @param symbols the symbols as written; blanks are dropped silently
     * @return the universe, with every invalid symbol skipped
     */
    public static Universe of(Collection<String> symbols) {
        Builder b = builder();
        for (String s : symbols) {
            if (s != null && !s.isBlank()) {
                b.add(null, s);
            }
        }
        return b.build();
    }

    /**
     * This universe with its tickers checked again (for a source whose own checks are unknown).
     *
     * @return this when every ticker is valid, else a copy with the invalid ones skipped
     */
    public Universe checked() {
        if (tickers.stream().allMatch(Symbols::isValid)) {
            return this;
        }
        Builder b = builder();
        skipped.forEach(s -> b.skipped.add(s));
        tickers.forEach(t -> b.add(null, t));
        return b.build();
    }

    /**
     * @return a builder for sources that read entries one by one
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a universe entry by entry. Not thread-safe. */
    public static final class Builder {
        private final LinkedHashSet<String> tickers = new LinkedHashSet<>();
        private final List<String> skipped = new ArrayList<>();

        private Builder() {}

        /**
         * Adds an entry: trimmed, checked with {@link Symbols#problem}, skipped when invalid.
         *
         * @param where where it was, e.g. {@code row 3}; {@code null} when it has no position
         * @param symbol the entry as written; {@code null} or blank is skipped as empty
         * @return this
         */
        public Builder add(String where, String symbol) {
            String s = symbol == null ? "" : symbol.strip();
            Optional<String> problem = Symbols.problem(s.isEmpty() ? symbol : s);
            if (problem.isPresent()) {
                return skip(where, problem.get());
            }
            tickers.add(s);
            return this;
        }

        /**
         * Skips an entry that is not a symbol at all (a number, an object without a ticker).
         *
         * @param where where it was, e.g. {@code stocks[2]}; {@code null} when it has no position
         * @param why what is wrong with it
         * @return this
         */
        public Builder skip(String where, String why) {
            skipped.add(where == null ? why : where + ": " + why);
            return this;
        }

        /**
         * @return the universe
         */
        public Universe build() {
            return new Universe(List.copyOf(tickers), skipped);
        }
    }
}
