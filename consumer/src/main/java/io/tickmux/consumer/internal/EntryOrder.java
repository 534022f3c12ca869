package io.tickmux.consumer.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The last entry handled per stream in this process: an entry at or before it was handled before (a
 * pending entry read again after a reconnect). Entry ids ({@code <ms>-<seq>}) are compared as
 * numbers, part by part.
 *
 * <p>Used on the delivery thread only.
 */
public final class EntryOrder {

    private final Map<String, String> lastHandled = new HashMap<>();

    /**
     * @param stream the stream
     * @param id an entry's id
     * @return whether that entry, or a later one of the stream, was handled before
     */
    public boolean handledBefore(String stream, String id) {
        String before = lastHandled.get(stream);
        return before != null && compare(id, before) <= 0;
    }

    /**
     * @param stream the stream
     * @param id the entry just handled
     */
    public void handled(String stream, String id) {
        lastHandled.put(stream, id);
    }

    /**
     * Compares stream entry ids {@code <ms>-<seq>}.
     *
     * @param a an id
     * @param b another
     * @return negative, zero or positive as {@code a} comes before, is, or comes after {@code b}
     */
    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c =
                Long.compare(
                        Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0
                ? c
                : Long.compare(
                        Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
