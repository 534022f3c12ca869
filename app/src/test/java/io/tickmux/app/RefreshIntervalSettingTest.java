package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tickmux.app.universes.refresh-interval is read strictly, with the rest of tickmux.app. */
class RefreshIntervalSettingTest {

    private static AppSettings read(String hocon) {
        return AppSettings.from(Tickmux.load(ConfigFactory.parseString(hocon), Map.of()));
    }

    @Test
    void zeroByDefaultAndAnyDurationOtherwise() {
        assertThat(read("").refreshInterval()).isEqualTo(Duration.ZERO);
        assertThat(read("tickmux.app.universes.refresh-interval = 5m").refreshInterval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(read("tickmux.app.universes.refresh-interval = 250ms").refreshInterval())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aNegativeOrNonDurationValueIsAListedProblemWithItsPath() {
        assertThatThrownBy(() -> read("tickmux.app.universes.refresh-interval = -5s"))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "tickmux.app.universes.refresh-interval")
                                                                .contains("too short")));
        assertThatThrownBy(
                        () ->
                                read(
                                        "tickmux.app.universes.refresh-interval = often\n"
                                                + "tickmux.app.multi-connection = maybe"))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "tickmux.app.universes.refresh-interval")
                                                                .contains("duration"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "tickmux.app.multi-connection")));
    }
}
