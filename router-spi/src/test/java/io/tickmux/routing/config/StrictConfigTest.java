package io.tickmux.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader every module and router uses: what it returns, and what each problem says. */
class StrictConfigTest {

    enum Mode {
        FAST,
        DROP_OLDEST
    }

    private static Config conf(String s) {
        return ConfigFactory.parseString(s).resolve();
    }

    private static Config conf(String s, String origin) {
        return ConfigFactory.parseString(
                        s, ConfigParseOptions.defaults().setOriginDescription(origin))
                .resolve();
    }

    @Test
    void aStringListIsAListOrACommaSeparatedStringWithoutBlanks() {
        StrictConfig r =
                new StrictConfig(conf("m { a = [\" X \", \"\", Y], b = \"A, ,B,\" }"), "m");
        assertThat(r.stringList("a")).containsExactly("X", "Y");
        assertThat(r.stringList("b")).containsExactly("A", "B");
        r.finish();
    }

    @Test
    void aStringListOfTheWrongTypeIsAProblemAndEmpty() {
        StrictConfig r = new StrictConfig(conf("m { a { x = 1 } }"), "m");
        assertThat(r.stringList("a")).isEmpty();
        assertThat(r.stringList("b")).isEmpty();
        assertThat(r.problems())
                .containsExactly(
                        "m.a has the wrong type (String: 1): use a list such as [A, B] or a"
                                + " string \"A,B\"",
                        "m.b is missing: set it to a list such as [A, B] or a string \"A,B\"");
    }

    @Test
    void durationOrSecondsTakesABareNumberAsSecondsAndAUnitAsWritten() {
        StrictConfig r =
                new StrictConfig(
                        conf("m { n = 30, f = 1.5, s = \" 2 \", u = 500ms, short = 0.001 }"), "m");
        assertThat(r.durationOrSeconds("n", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.durationOrSeconds("f", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.durationOrSeconds("s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.durationOrSeconds("u", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(r.durationOrSeconds("short", Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(r.durationOrSeconds("missing", Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(r.durationOrSeconds("u", Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofSeconds(1));
        // Every key was read ("u" too, although it went through duration()): no unknown key.
        assertThatThrownBy(r::finish)
                .isInstanceOfSatisfying(
                        ConfigProblems.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "m.short = PT0.001S is too short: use at least"
                                                        + " PT1S",
                                                "m.missing is missing: set it to a duration such"
                                                        + " as 30s, or a number of seconds",
                                                "m.u = PT0.5S is too short: use at least PT1S"));
    }

    @Test
    void numbersOutOfRangeReturnTheMinimum() {
        StrictConfig r = new StrictConfig(conf("m { i = 11, d = NaN, e = -1 }"), "m");
        assertThat(r.intIn("i", 2, 10)).isEqualTo(2);
        assertThat(r.doubleIn("e", 0.5, 1)).isEqualTo(0.5);
        assertThat(r.doubleIn("d", 0.5, 1)).isEqualTo(0.5);
        assertThat(r.problems())
                .containsExactly(
                        "m.i = 11 is out of range: use 2..10",
                        "m.e = -1.0 is out of range: use 0.5..1.0",
                        "m.d = NaN is out of range: use 0.5..1.0");
    }

    @Test
    void anEnumIsReadInKebabCaseAndAMissOffersTheClosest() {
        StrictConfig r = new StrictConfig(conf("m { a = \" Drop-Oldest \", b = drop-olds }"), "m");
        assertThat(r.enumValue("a", Mode.class)).isEqualTo(Mode.DROP_OLDEST);
        assertThat(r.enumValue("b", Mode.class)).isEqualTo(Mode.FAST);
        assertThat(r.enumValue("c", Mode.class)).isEqualTo(Mode.FAST);
        assertThat(r.problems())
                .containsExactly(
                        "m.b = 'drop-olds' is not valid: use one of [fast, drop-oldest]; did you"
                                + " mean 'drop-oldest'?",
                        "m.c is missing: set it to a string");
    }

    @Test
    void problemsNameWhereAValueCameFromUnlessItIsADefault() {
        Config user = conf("m { n = 50 }", "application.conf");
        Config defaults = conf("m { n = 50, k = 1 }", "reference.conf @ jar:x");
        StrictConfig r = new StrictConfig(user.withFallback(defaults), "m");
        assertThat(r.origin("n")).isEqualTo(" (application.conf: 1)");
        assertThat(r.origin("k")).isEmpty();
        assertThat(r.origin("absent")).isEmpty();
        assertThat(r.origin("n.below")).isEmpty();
        r.intIn("n", 1, 10);
        assertThat(r.problems())
                .containsExactly("m.n = 50 (application.conf: 1) is out of range: use 1..10");
    }

    @Test
    void anEmptyObjectNothingReadIsAnUnknownKey() {
        StrictConfig r = new StrictConfig(conf("m { sectors = {}, sektors = {}, a = 1 }"), "m");
        r.intIn("a", 0, 1);
        r.freeForm("sectors");
        assertThatThrownBy(r::finish)
                .isExactlyInstanceOf(ConfigProblems.class)
                .satisfies(
                        e ->
                                assertThat(((ConfigProblems) e).problems())
                                        .containsExactly(
                                                "unknown key m.sektors: did you mean"
                                                        + " m.sectors?"));
    }

    @Test
    void keysUnderAFreeFormKeyAndUnderAReadObjectAreKnown() {
        StrictConfig r =
                new StrictConfig(
                        conf("m { map { a.b = 1, c = 2 }, obj { x = 1, y = 2 }, mapx = 3 }"), "m");
        assertThat(r.freeForm("map").getInt("a.b")).isEqualTo(1);
        assertThat(r.intIn("obj.x", 0, 1)).isEqualTo(1);
        assertThatThrownBy(r::finish)
                .isInstanceOfSatisfying(
                        ConfigProblems.class,
                        e ->
                                assertThat(e.problems())
                                        .containsExactly(
                                                "unknown key m.mapx: did you mean m.map?",
                                                "unknown key m.obj.y: did you mean m.obj.x?"));
    }

    @Test
    void aReaderOfASubtreeNamesKeysByTheirFullPath() {
        StrictConfig r = StrictConfig.of(conf("n = 0"), "tickmux.routing.priority");
        assertThat(r.has("n")).isTrue();
        assertThat(r.has("m")).isFalse();
        r.intIn("n", 1, 2);
        assertThat(r.problems())
                .containsExactly("tickmux.routing.priority.n = 0 is out of range: use 1..2");
    }

    @Test
    void aSubclassChoosesTheExceptionAndFinishPassesEveryProblem() {
        class Own extends StrictConfig {
            List<String> seen;

            Own(Config c) {
                super(c, "m");
            }

            @Override
            protected RuntimeException failure(List<String> problems) {
                seen = problems;
                return new IllegalStateException("own");
            }
        }
        Own r = new Own(conf("m { a = x }"));
        r.bool("a");
        assertThatThrownBy(r::finish).isExactlyInstanceOf(IllegalStateException.class);
        assertThat(r.seen).containsExactly("m.a has the wrong type (String: 1): use true or false");
    }

    @Test
    void didYouMeanOffersOnlyACloseName() {
        assertThat(StrictConfig.didYouMean("prioirty", List.of("priority", "sector")))
                .isEqualTo("; did you mean 'priority'?");
        assertThat(StrictConfig.didYouMean("zzzzzz", List.of("priority", "sector"))).isEmpty();
        assertThat(StrictConfig.didYouMean("x", List.of())).isEmpty();
    }
}
