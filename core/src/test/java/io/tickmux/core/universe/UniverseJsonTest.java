package io.tickmux.core.universe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.universe.Universe;
import io.tickmux.spi.universe.UniverseJson;
import io.tickmux.spi.universe.UniverseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Universe JSON is parsed as JSON: HOCON's include, substitutions and comments are errors. */
class UniverseJsonTest {

    @Test
    void theThreeShapes() {
        assertThat(UniverseJson.parse("[\"SPY\", \"QQQ\", \"SPY\"]", "t").tickers())
                .containsExactly("SPY", "QQQ");
        assertThat(
                        UniverseJson.parse(
                                        " {\"count\":2,\"stocks\":[{\"ticker\":\"AAPL\",\"name\":\"Apple\"},"
                                                + "{\"symbol\":\"NVDA\"}]} ",
                                        "t")
                                .tickers())
                .containsExactly("AAPL", "NVDA");
        assertThat(UniverseJson.parse("{\"tickers\":[\"BRK.A\"]}", "t").tickers())
                .containsExactly("BRK.A");
        assertThat(UniverseJson.parse("\uFEFF[\"A\"]", "t").tickers()).containsExactly("A");
    }

    @Test
    void anIncludeIsAnErrorAndNeverFollowed(@TempDir Path dir) throws Exception {
        Path evil = dir.resolve("evil.json");
        Files.writeString(evil, "{\"stocks\":[{\"ticker\":\"EVIL\"}]}");
        String path = evil.toString().replace("\\", "/");
        for (String text :
                List.of(
                        "{ include file(\"" + path + "\"), \"tickers\": [\"A\"] }",
                        "{ include \"" + path + "\", \"tickers\": [\"A\"] }",
                        "{ include url(\"file://" + path + "\"), \"tickers\": [\"A\"] }",
                        "{ include required(file(\"" + path + "\")) }")) {
            assertThatThrownBy(() -> UniverseJson.parse(text, "universe 'x' in the database"))
                    .as(text)
                    .isInstanceOf(UniverseSource.UniverseException.class)
                    .hasMessageContaining("universe 'x' in the database is not valid JSON")
                    .hasMessageNotContaining("EVIL");
        }
        // As a quoted key, "include" is data, ignored like any other unknown field.
        assertThat(
                        UniverseJson.parse(
                                        "{\"include\": \"file(\\\""
                                                + path
                                                + "\\\")\", \"tickers\": [\"A\"]}",
                                        "t")
                                .tickers())
                .containsExactly("A");
    }

    @Test
    void anIncludeInAJsonFileIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("evil.json"), "{\"stocks\":[{\"ticker\":\"EVIL\"}]}");
        String evil = dir.resolve("evil.json").toString().replace("\\", "/");
        Files.writeString(
                dir.resolve("u.json"), "{ include file(\"" + evil + "\"), \"tickers\": [\"A\"] }");
        UniverseSource s =
                new FileUniverseSource.Factory()
                        .create(
                                ConfigFactory.parseString(
                                        "directory = \""
                                                + dir.toString().replace("\\", "/")
                                                + "\""));
        assertThatThrownBy(() -> s.tickers("u"))
                .isInstanceOf(UniverseSource.UniverseException.class)
                .hasMessageContaining("is not valid JSON")
                .hasMessageNotContaining("EVIL");
        assertThat(s.tickers("evil")).contains(List.of("EVIL"));
    }

    @Test
    void otherHoconIsAnErrorToo() {
        for (String text :
                List.of(
                        "{\"tickers\": ${x}}",
                        "{\"tickers\": [A, B]}",
                        "[\"A\"] // comment",
                        "[\"A\"], \"y\": 1",
                        "tickers = [\"A\"]",
                        "{\"a\":1,}",
                        "\"A\"")) {
            assertThatThrownBy(() -> UniverseJson.parse(text, "t"))
                    .as(text)
                    .isInstanceOf(UniverseSource.UniverseException.class)
                    .hasMessageContaining("is not valid JSON");
        }
        assertThatThrownBy(() -> UniverseJson.parse("  ", "t")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> UniverseJson.parse(null, "t")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> UniverseJson.parse("{\"nope\": 1}", "t"))
                .hasMessageContaining("neither an array nor an object with \"stocks\"");
        assertThatThrownBy(() -> UniverseJson.parse("{\"stocks\": \"AAPL\"}", "t"))
                .hasMessageContaining("\"stocks\" must be an array");
    }

    @Test
    void aBadEntryIsSkippedSayingWhereAndTheRestKept() {
        Universe u =
                UniverseJson.parse(
                        "{\"stocks\":[{\"ticker\":\"AAPL\"},{\"ticker\":\"AAPL MSFT\"},{\"name\":\"x\"},5,"
                                + "{\"ticker\":\"aapl\"},null,[\"X\"],{\"ticker\":7},\"*\",{\"ticker\":\"NVDA\"}]}",
                        "t");
        assertThat(u.tickers()).containsExactly("AAPL", "NVDA");
        assertThat(u.skipped())
                .hasSize(8)
                .anySatisfy(s -> assertThat(s).startsWith("stocks[1]: 'AAPL MSFT'"))
                .anySatisfy(s -> assertThat(s).isEqualTo("stocks[2]: has no \"ticker\""))
                .anySatisfy(
                        s -> assertThat(s).isEqualTo("stocks[3]: is the number 5, not a symbol"))
                .anySatisfy(s -> assertThat(s).startsWith("stocks[4]: 'aapl' is not upper case"))
                .anySatisfy(s -> assertThat(s).isEqualTo("stocks[5]: is null, not a symbol"))
                .anySatisfy(s -> assertThat(s).isEqualTo("stocks[6]: is an array, not a symbol"))
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .isEqualTo(
                                                "stocks[7]: its ticker is the number 7, not a string"))
                .anySatisfy(s -> assertThat(s).startsWith("stocks[8]: '*' is a wildcard"));
        assertThat(UniverseJson.parse("[\"A\", {\"ticker\": \"B\"}, true]", "t").skipped())
                .containsExactly("[2]: is the boolean true, not a symbol");
    }

    @Test
    void filesNameTheLineOfABadEntry(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("plain.txt"), "# leaders\nMSFT\naapl, META\nOOPS!\n");
        Files.writeString(dir.resolve("table.csv"), "ticker,name\nJPM,x\n,empty\nbac,y\n");
        UniverseSource s = new FileUniverseSource(dir);
        Universe plain = s.read("plain").orElseThrow();
        assertThat(plain.tickers()).containsExactly("MSFT", "META");
        assertThat(plain.skipped())
                .containsExactly(
                        "plain.txt line 3: 'aapl' is not upper case: write AAPL",
                        "plain.txt line 4: 'OOPS!' is not a symbol: use upper-case letters, digits"
                                + " and . : / - _ (AAPL, BRK.A, X:BTCUSD)");
        assertThat(s.tickers("plain")).contains(List.of("MSFT", "META"));
        Universe table = s.read("table").orElseThrow();
        assertThat(table.tickers()).containsExactly("JPM");
        assertThat(table.skipped())
                .containsExactly(
                        "table.csv line 3: is empty: give one symbol",
                        "table.csv line 4: 'bac' is not upper case: write BAC");
        assertThat(s.read("missing")).isEmpty();
        s.close(); // the default close: nothing to release
    }
}
