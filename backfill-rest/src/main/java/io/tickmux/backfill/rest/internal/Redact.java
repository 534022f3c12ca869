package io.tickmux.backfill.rest.internal;

import java.util.regex.Pattern;

/** Keeps the API key out of log lines and reasons. */
final class Redact {

    private static final Pattern API_KEY = Pattern.compile("(?i)(apiKey=)[^&\\s\"]*");

    private Redact() {}

    /**
     * @param url a URL that may carry an {@code apiKey} parameter
     * @return it with the key's value shown as {@code ***}
     */
    static String url(String url) {
        return API_KEY.matcher(url).replaceAll("$1***");
    }

    /**
     * @param text any text (a server's error message, an exception's)
     * @param key the key
     * @return the text with every occurrence of the key and any {@code apiKey=} value masked
     */
    static String text(String text, String key) {
        String t = url(text);
        return key.isEmpty() ? t : t.replace(key, "***");
    }
}
