package io.tickmux.routing.config;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the name closest to one that matched nothing: the valid name at the smallest edit distance,
 * when that distance is small for the name's length. Stateless.
 */
final class DidYouMean {

    private DidYouMean() {}

    /**
     * A did-you-mean suffix for a name that matched nothing; ties go to the first candidate in
     * alphabetical order.
     *
     * @param name what was given
     * @param candidates the valid names
     * @return {@code "; did you mean 'x'?"} when one is close, else {@code ""}
     */
    static String suffix(String name, Collection<String> candidates) {
        String c = closest(name, new TreeSet<>(candidates));
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /**
     * The candidate closest to a name, when it is close enough: at most 2 edits, or a third of the
     * name's length for a longer name. On a tie the first candidate in iteration order wins.
     *
     * @param name what was given
     * @param candidates the valid names, in the order ties are decided
     * @return the closest candidate, or null when none is close
     */
    static String closest(String name, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    /**
     * The edit distance between two names.
     *
     * @param a a name
     * @param b another
     * @return the Levenshtein distance
     */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
