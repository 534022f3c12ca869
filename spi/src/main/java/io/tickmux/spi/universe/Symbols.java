package io.tickmux.spi.universe;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Splitting and checking of ticker symbols. */
public final class Symbols {

    /**
     * The longest symbol accepted (as the application's configuration check); option symbols such
     * as {@code O:SPY251219C00650000} fit.
     */
    public static final int MAX_LENGTH = 32;

    private static final Pattern VALID = Pattern.compile("[A-Z0-9][A-Z0-9.:/_-]*");

    private Symbols() {}

    /**
     * Splits {@code "AAPL, NVDA,TSLA"} into symbols, trimming blanks and dropping duplicates.
     *
     * @param text comma- or whitespace-separated symbols; may be empty
     * @return the symbols in order
     */
    public static List<String> split(String text) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : text.split("[,\\s]+")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    /**
     * What is wrong with a symbol, if anything. A symbol is written as the feed spells it: upper
     * case letters, digits and {@code . : / - _} (also {@code ^ $}), starting with a letter or
     * digit ({@code AAPL}, {@code BRK.A}, {@code X:BTCUSD}, {@code O:SPY251219C00650000}); no
     * spaces, commas, lower case or wildcards.
     *
     * @param symbol the symbol as written; may be {@code null}
     * @return why it is not a symbol and how to write it, or empty when it is one
     */
    public static Optional<String> problem(String symbol) {
        if (symbol == null || symbol.isBlank()) {
            return Optional.of("is empty: give one symbol");
        }
        if (VALID.matcher(symbol).matches()) {
            return symbol.length() <= MAX_LENGTH
                    ? Optional.empty()
                    : Optional.of(
                            "'"
                                    + abbreviate(symbol)
                                    + "' is longer than "
                                    + MAX_LENGTH
                                    + " characters: is it a symbol?");
        }
        String s = "'" + abbreviate(symbol) + "'";
        if (symbol.strip().matches("(?s).*[\\s,].*")) {
            return Optional.of(s + " holds spaces or commas: write one symbol per entry");
        }
        if (symbol.contains("*")) {
            return Optional.of(
                    s + " is a wildcard: list the symbols (a wildcard subscribes to every one)");
        }
        String upper = symbol.strip().toUpperCase(Locale.ROOT);
        if (VALID.matcher(upper).matches()) {
            return Optional.of(
                    s
                            + (upper.equals(symbol.strip())
                                    ? " has spaces around it"
                                    : " is not upper case")
                            + ": write "
                            + abbreviate(upper));
        }
        return Optional.of(
                s
                        + " is not a symbol: use upper-case letters, digits and . : / - _ (AAPL,"
                        + " BRK.A, X:BTCUSD)");
    }

    /**
     * @param symbol a symbol as written
     * @return whether {@link #problem} finds nothing wrong with it
     */
    public static boolean isValid(String symbol) {
        return problem(symbol).isEmpty();
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }
}
