package io.tickmux.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each problem says. */
class ProblemTextTest {

    private static Config conf(String s, String origin) {
        return ConfigFactory.parseString(
                s, ConfigParseOptions.defaults().setOriginDescription(origin));
    }

    @Test
    void aMissingKeySaysWhatToSetAWrongOneWhereItCameFrom() {
        Config c = conf("a = x", "application.conf");
        ConfigException missing = catchThrowableOfType(() -> c.getInt("b"), ConfigException.class);
        ConfigException wrong = catchThrowableOfType(() -> c.getInt("a"), ConfigException.class);
        assertThat(ProblemText.unreadable("m.b", missing, "an integer"))
                .isEqualTo("m.b is missing: set it to an integer");
        assertThat(ProblemText.unreadable("m.a", wrong, "an integer"))
                .isEqualTo("m.a has the wrong type (application.conf: 1): use an integer");
        assertThat(ProblemText.unreadable("m.a", new ConfigException.Generic("x"), "an integer"))
                .isEqualTo("m.a has the wrong type: use an integer");
    }

    @Test
    void theOriginIsNamedOnlyForAValueAUserSet() {
        Config c =
                conf("user = 1, list = [1]", "environment variable X")
                        .withFallback(conf("dflt = 1", "reference.conf @ jar:file:/x.jar"))
                        .withFallback(ConfigFactory.parseString("code = 1"));
        assertThat(ProblemText.origin(c, "user")).isEqualTo(" (environment variable X: 1)");
        assertThat(ProblemText.origin(c, "dflt")).isEmpty();
        assertThat(ProblemText.origin(c, "code")).isEmpty();
        assertThat(ProblemText.origin(c, "absent")).isEmpty();
        assertThat(ProblemText.origin(c, "user.below")).isEmpty();
        assertThat(ProblemText.origin(c, "bad..path")).isEmpty();
    }

    @Test
    void valuesOutOfBoundsShowTheValueItsOriginAndTheBounds() {
        assertThat(ProblemText.outOfRange("m.n", 50, " (application.conf: 3)", 1, 10))
                .isEqualTo("m.n = 50 (application.conf: 3) is out of range: use 1..10");
        assertThat(ProblemText.outOfRange("m.d", 2.5, "", 0.0, 1.0))
                .isEqualTo("m.d = 2.5 is out of range: use 0.0..1.0");
        assertThat(ProblemText.tooShort("m.t", Duration.ofMillis(5), "", Duration.ofSeconds(1)))
                .isEqualTo("m.t = PT0.005S is too short: use at least PT1S");
    }

    @Test
    void anEnumNameThatIsNoneOfThemOffersTheClosestWhateverItsCase() {
        assertThat(ProblemText.notOneOf("m.e", " DROP-OLDST ", "", List.of("block", "drop-oldest")))
                .isEqualTo(
                        "m.e = ' DROP-OLDST ' is not valid: use one of [block, drop-oldest]; did"
                                + " you mean 'drop-oldest'?");
        assertThat(ProblemText.notOneOf("m.e", "x", "", List.of("block")))
                .isEqualTo("m.e = 'x' is not valid: use one of [block]");
    }

    @Test
    void anUnknownKeySuggestsTheClosestOrSaysRemoveIt() {
        assertThat(ProblemText.unknownKey("m.maxx", "m.max"))
                .isEqualTo("unknown key m.maxx: did you mean m.max?");
        assertThat(ProblemText.unknownKey("m.zzz", null)).isEqualTo("unknown key m.zzz: remove it");
    }
}
