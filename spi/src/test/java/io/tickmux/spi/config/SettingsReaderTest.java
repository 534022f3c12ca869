package io.tickmux.spi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    /** A sample enum, spelled in kebab case in configuration. */
    enum OverflowPolicy {
        BLOCK,
        DROP_OLDEST,
        DROP_NEWEST,
        CONFLATE
    }

    private static Config conf(String s) {
        return ConfigFactory.parseString(s).resolve();
    }

    @Test
    void readsEveryKindOfValue() {
        SettingsReader r =
                new SettingsReader(
                        conf(
                                "m { n = 5, d = 2.5, b = yes, s = hi, t = 30s, e = drop-oldest,"
                                        + " free { X = 1, Y.Z = 2 } }"),
                        "m");
        assertThat(r.intIn("n", 1, 10)).isEqualTo(5);
        assertThat(r.doubleIn("d", 0, 3)).isEqualTo(2.5);
        assertThat(r.bool("b")).isTrue();
        assertThat(r.string("s")).isEqualTo("hi");
        assertThat(r.duration("t", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.enumValue("e", OverflowPolicy.class)).isEqualTo(OverflowPolicy.DROP_OLDEST);
        assertThat(r.freeForm("free").getInt("Y.Z")).isEqualTo(2);
        r.finish();
    }

    @Test
    void reportsEveryProblemAtOnceWithFullPaths() {
        SettingsReader r =
                new SettingsReader(
                        conf(
                                "m { n = 50, d = x, b = maybe, t = -1s, e = sideways, maxx = 1,"
                                        + " n2 = 1 }"),
                        "m");
        r.intIn("n", 1, 10);
        r.doubleIn("d", 0, 1);
        r.bool("b");
        r.duration("t", Duration.ZERO);
        r.enumValue("e", OverflowPolicy.class);
        r.string("missing");
        r.intIn("max", 0, 5);
        assertThatThrownBy(r::finish)
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "m.n = 50 is out of range: use 1..10",
                                                "m.d has the wrong type (String: 1): use a number"
                                                        + " between 0.0 and 1.0",
                                                "m.b has the wrong type (String: 1): use true or"
                                                        + " false",
                                                "m.t = PT-1S is too short: use at least PT0S",
                                                "m.e = 'sideways' is not valid: use one of [block,"
                                                        + " drop-oldest, drop-newest, conflate]",
                                                "m.missing is missing: set it to a string",
                                                "m.max is missing: set it to an integer between 0"
                                                        + " and 5",
                                                "unknown key m.maxx: did you mean m.max?",
                                                "unknown key m.n2: did you mean m.n?"))
                .hasMessageStartingWith("Invalid tickmux configuration (9 problems):");
    }

    @Test
    void aMissingSubtreeSaysHowToLoadIt() {
        SettingsReader r = new SettingsReader(conf("other = 1"), "tickmux.core");
        assertThatThrownBy(r::finish)
                .hasMessageContaining("tickmux.core is missing")
                .hasMessageContaining("reference.conf");
    }

    @Test
    void aSubtreeOfTheWrongTypeIsReported() {
        SettingsReader r = new SettingsReader(conf("m = 3"), "m");
        assertThat(r.problems()).anyMatch(p -> p.startsWith("m must be an object"));
    }

    @Test
    void unknownKeysFarFromAnyKnownKeySayRemoveIt() {
        SettingsReader r = new SettingsReader(conf("m { alpha = 1, zzzzzzzz = 2 }"), "m");
        r.intIn("alpha", 0, 9);
        assertThatThrownBy(r::finish).hasMessageContaining("unknown key m.zzzzzzzz: remove it");
    }

    @Test
    void freeFormOfTheWrongTypeIsReported() {
        SettingsReader r = new SettingsReader(conf("m { f = 1 }"), "m");
        assertThat(r.freeForm("f").isEmpty()).isTrue();
        assertThat(r.problems()).singleElement().asString().startsWith("m.f must be an object");
    }

    @Test
    void callerProblemsAreIncluded() {
        SettingsReader r = new SettingsReader(conf("m { a = 1 }"), "m");
        r.intIn("a", 0, 5);
        r.problem("a", "is odd: make it even");
        assertThat(r.problems()).containsExactly("m.a is odd: make it even");
        assertThat(r.full("a")).isEqualTo("m.a");
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertThat(SettingsReader.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(SettingsReader.distance("", "abc")).isEqualTo(3);
        assertThat(SettingsReader.kebab(OverflowPolicy.DROP_NEWEST)).isEqualTo("drop-newest");
    }
}
