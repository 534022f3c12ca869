package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.core.universe.FileUniverseSource;
import io.tickmux.core.universe.HoconUniverseSource;
import io.tickmux.spi.universe.UniverseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniverseSourcesTest {

    @Test
    void hoconUniversesTakeListsAndCommaStrings() {
        UniverseSource s =
                new HoconUniverseSource.Factory()
                        .create(
                                ConfigFactory.parseString(
                                        "\"tech_leaders:top_20\" = [AAPL, NVDA, AAPL], \"finance_sector:large_cap\" = \"JPM, BAC,GS\","
                                                + " empty = []"));
        assertThat(s.tickers("tech_leaders:top_20")).contains(List.of("AAPL", "NVDA"));
        assertThat(s.tickers("finance_sector:large_cap")).contains(List.of("JPM", "BAC", "GS"));
        assertThat(s.tickers("empty")).contains(List.of());
        assertThat(s.tickers("missing")).isEmpty();
        assertThatThrownBy(
                        () ->
                                new HoconUniverseSource.Factory()
                                        .create(ConfigFactory.parseString("bad = 3")))
                .hasMessageContaining("tickmux.app.universes.hocon.\"bad\" must be a list");
    }

    @Test
    void filesInEveryShapeTheOriginalAppUsed(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tech_leaders:top_20.json"),
                "{\"count\":2,\"stocks\":[{\"ticker\":\"AAPL\",\"name\":\"Apple\"},{\"ticker\":\"NVDA\"}]}");
        Files.createDirectories(dir.resolve("finance_sector"));
        Files.writeString(
                dir.resolve("finance_sector/large_cap.csv"),
                "symbol,sector\nJPM,finance\nBAC,finance\n");
        Files.writeString(dir.resolve("plain.txt"), "# leaders\nMSFT\nGOOGL, META\n");
        Files.writeString(dir.resolve("array.json"), "[\"SPY\", \"QQQ\"]");
        Files.writeString(dir.resolve("broken.json"), "{\"nope\": 1}");
        UniverseSource s =
                new FileUniverseSource.Factory()
                        .create(
                                ConfigFactory.parseString(
                                        "directory = \""
                                                + dir.toString().replace("\\", "/")
                                                + "\""));
        assertThat(s.tickers("tech_leaders:top_20")).contains(List.of("AAPL", "NVDA"));
        assertThat(s.tickers("finance_sector:large_cap")).contains(List.of("JPM", "BAC"));
        assertThat(s.tickers("plain")).contains(List.of("MSFT", "GOOGL", "META"));
        assertThat(s.tickers("array")).contains(List.of("SPY", "QQQ"));
        assertThat(s.tickers("nothing")).isEmpty();
        assertThatThrownBy(() -> s.tickers("broken"))
                .isInstanceOf(UniverseSource.UniverseException.class)
                .hasMessageContaining("neither an array nor an object with \"stocks\"");
        assertThatThrownBy(() -> s.tickers("../escape"))
                .isInstanceOf(UniverseSource.UniverseException.class);
        assertThatThrownBy(
                        () ->
                                new FileUniverseSource.Factory()
                                        .create(ConfigFactory.parseString("directory = \"\"")))
                .hasMessageContaining("directory is empty");
        assertThatThrownBy(
                        () ->
                                new FileUniverseSource.Factory()
                                        .create(
                                                ConfigFactory.parseString(
                                                        "directory = /no/such/dir")))
                .hasMessageContaining("is not a directory");
    }
}
