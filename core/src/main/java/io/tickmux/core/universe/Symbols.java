package io.tickmux.core.universe;

import java.util.LinkedHashSet;
import java.util.List;

/** Splitting of symbol lists as the original app's .env writes them. */
public final class Symbols {

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
}
