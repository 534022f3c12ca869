package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.config.ConfigProblems;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HaSettingsTest {

    private static HaSettings read(String hocon) {
        return HaSettings.from(
                ConfigFactory.parseString(hocon)
                        .withFallback(ConfigFactory.defaultReference())
                        .resolve());
    }

    @Test
    void defaultsAreOffWithAThreeSecondLeaseRenewedEverySecond() {
        HaSettings s = read("");
        assertThat(s.mode()).isEqualTo(HaSettings.Mode.OFF);
        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.renewInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.safetyMargin()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.gatewayId()).matches("[A-Za-z0-9._-]+-[0-9]+");
        assertThat(s.fileStorage()).isTrue();
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(
                        () ->
                                read(
                                        "tickmux.ha { mode = hot-hot, gateway-id = \"a b\", url ="
                                                + " \"\", bucket = \"x.y\", storage = disk, ttl ="
                                                + " 3s, safety-margin = 2s, renew-interval = 3s,"
                                                + " tll = 1s }"))
                .isInstanceOf(ConfigProblems.class)
                .satisfies(
                        e -> {
                            String all = String.join("\n", ((ConfigProblems) e).problems());
                            assertThat(all)
                                    .contains("tickmux.ha.mode")
                                    .contains("hot-hot")
                                    .contains("tickmux.ha.gateway-id")
                                    .contains("tickmux.ha.url")
                                    .contains("tickmux.ha.bucket")
                                    .contains("tickmux.ha.storage")
                                    .contains("tickmux.ha.safety-margin")
                                    .contains("tickmux.ha.renew-interval")
                                    .contains("tll");
                        });
    }

    @Test
    void aMisspeltModeSuggestsTheRightOne() {
        assertThatThrownBy(() -> read("tickmux.ha.mode = active-stanby"))
                .isInstanceOf(ConfigProblems.class)
                .hasMessageContaining("did you mean 'active-standby'");
    }

    @Test
    void theTokenIsNeverPrinted() {
        HaSettings s = read("tickmux.ha { mode = active-standby, token = s3cret }");
        assertThat(s.token()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret").contains("****");
    }
}
