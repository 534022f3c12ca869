package io.tickmux.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The closest valid name, only when it is close for the name's length. */
class DidYouMeanTest {

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("sitting", "kitten")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("abc", "")).isEqualTo(3);
        assertThat(DidYouMean.distance("same", "same")).isZero();
        assertThat(DidYouMean.distance("ab", "ba")).isEqualTo(2);
    }

    @Test
    void aShortNameMayBeTwoEditsAwayALongOneAThirdOfItsLength() {
        assertThat(DidYouMean.closest("ab", Set.of("xy"))).isEqualTo("xy");
        assertThat(DidYouMean.closest("abc", Set.of("xyz"))).isNull();
        // 12 characters: up to 4 edits.
        assertThat(DidYouMean.closest("abcdefghijkl", Set.of("abcdefghWXYZ")))
                .isEqualTo("abcdefghWXYZ");
        assertThat(DidYouMean.closest("abcdefghijkl", Set.of("abcdefgVWXYZ"))).isNull();
    }

    @Test
    void theNearestCandidateWinsAndATieGoesToTheFirst() {
        assertThat(DidYouMean.closest("max-size", new TreeSet<>(List.of("max-age", "max-sizes"))))
                .isEqualTo("max-sizes");
        Set<String> ordered = new LinkedHashSet<>(List.of("mab", "maa"));
        assertThat(DidYouMean.closest("max", ordered)).isEqualTo("mab");
        assertThat(DidYouMean.closest("max", Set.of())).isNull();
    }

    @Test
    void theSuffixQuotesTheClosestAndBreaksTiesAlphabetically() {
        assertThat(DidYouMean.suffix("max", List.of("mab", "maa")))
                .isEqualTo("; did you mean 'maa'?");
        assertThat(DidYouMean.suffix("zzzzzz", List.of("priority"))).isEmpty();
    }
}
