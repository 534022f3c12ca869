package io.tickmux.spi.universe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolsTest {

    @Test
    void theFeedsSpellingsAreValid() {
        for (String s :
                List.of(
                        "AAPL",
                        "BRK.A",
                        "BRK/B",
                        "X:BTCUSD",
                        "C:EUR-USD",
                        "I:SPX",
                        "O:SPY251219C00650000",
                        "A",
                        "3M")) {
            assertThat(Symbols.problem(s)).as(s).isEmpty();
            assertThat(Symbols.isValid(s)).as(s).isTrue();
        }
    }

    @Test
    void eachBadSymbolSaysWhatIsWrongAndHowToWriteIt() {
        assertThat(Symbols.problem("AAPL MSFT"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("'AAPL MSFT'")
                .contains("spaces or commas");
        assertThat(Symbols.problem("AAPL,MSFT"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("spaces or commas");
        assertThat(Symbols.problem("*"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("'*' is a wildcard");
        assertThat(Symbols.problem("T.*"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("is a wildcard");
        assertThat(Symbols.problem("aapl"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("'aapl' is not upper case")
                .contains("write AAPL");
        assertThat(Symbols.problem(" AAPL"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("has spaces around it");
        assertThat(Symbols.problem("OOPS!"))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("'OOPS!' is not a symbol");
        assertThat(Symbols.problem("-X")).isPresent();
        assertThat(Symbols.problem(""))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("is empty");
        assertThat(Symbols.problem(null))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("is empty");
        assertThat(Symbols.problem("A".repeat(Symbols.MAX_LENGTH + 1)))
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("longer than " + Symbols.MAX_LENGTH);
        assertThat(Symbols.problem("A".repeat(Symbols.MAX_LENGTH))).isEmpty();
    }

    @Test
    void aUniverseKeepsValidSymbolsInOrderAndNamesWhatItSkipped() {
        Universe u = Universe.of(List.of("AAPL", "aapl", "", "NVDA", "AAPL", "A B"));
        assertThat(u.tickers()).containsExactly("AAPL", "NVDA");
        assertThat(u.skipped()).hasSize(2);
        Universe built =
                Universe.builder()
                        .add("row 1", " MSFT ")
                        .add("row 2", null)
                        .skip("row 3", "is a number")
                        .build();
        assertThat(built.tickers()).containsExactly("MSFT");
        assertThat(built.skipped())
                .containsExactly("row 2: is empty: give one symbol", "row 3: is a number");
        Universe unchecked = new Universe(List.of("A", "b"), List.of("x"));
        assertThat(unchecked.checked().tickers()).containsExactly("A");
        assertThat(unchecked.checked().skipped()).hasSize(2).startsWith("x");
        Universe fine = new Universe(List.of("A"), List.of());
        assertThat(fine.checked()).isSameAs(fine);
    }
}
