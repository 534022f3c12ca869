package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.universe.HoconUniverseSource;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.universe.UniverseSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which connections an application runs: the mode, the fallback, and what health notes. */
class ConnectionPlannerTest {

    private static final UniverseSource UNIVERSES =
            new HoconUniverseSource(Map.of("tech", List.of("AAPL", "NVDA")));

    private static ConnectionPlanner.Decision decide(
            Map<String, String> env, String hocon, boolean routerPlaces) {
        Config root = Tickmux.load(ConfigFactory.parseString(hocon), env);
        return ConnectionPlanner.decide(
                AppSettings.from(root), CoreSettings.from(root), UNIVERSES, routerPlaces);
    }

    private static final Map<String, String> NO_CONNECTION_ENABLED =
            Map.of("USE_MULTI_CONNECTION", "true", "WEBSOCKET_CONNECTION_1_ENABLED", "false");

    @Test
    void singleModeRunsOneConnectionOnItsUniverse() {
        ConnectionPlanner.Decision d = decide(Map.of("SYMBOL_UNIVERSE_KEY", "tech"), "", false);

        assertThat(d.mode).isEqualTo(Tickmux.Mode.SINGLE);
        assertThat(d.plan.connections)
                .extracting(ConnectionDefinition::id)
                .containsExactly("connection_1");
        assertThat(d.plan.assignment)
                .containsExactly(Map.entry("connection_1", List.of("AAPL", "NVDA")));
        assertThat(d.notes).isEmpty();
    }

    @Test
    void anInvalidMultiConnectionSetupFallsBackToAValidSingleConnectionAndSaysWhy() {
        ConnectionPlanner.Decision d =
                decide(
                        Map.of(
                                "USE_MULTI_CONNECTION", "true",
                                "WEBSOCKET_CONNECTION_1_ENABLED", "false",
                                "SYMBOL_UNIVERSE_KEY", "tech"),
                        "",
                        false);

        assertThat(d.mode).isEqualTo(Tickmux.Mode.SINGLE_FALLBACK);
        assertThat(d.plan.assignment)
                .containsExactly(Map.entry("connection_1", List.of("AAPL", "NVDA")));
        assertThat(d.notes)
                .singleElement()
                .asString()
                .startsWith("fell back to single-connection mode: ")
                .contains("no connection is enabled");
    }

    @Test
    void strictNeverFallsBackAndListsTheMultiConnectionProblemsOnly() {
        assertThatThrownBy(
                        () ->
                                decide(
                                        Map.of(
                                                "USE_MULTI_CONNECTION", "true",
                                                "WEBSOCKET_CONNECTION_1_ENABLED", "false",
                                                "SYMBOL_UNIVERSE_KEY", "tech"),
                                        "tickmux.app.strict = true",
                                        false))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .singleElement()
                                        .asString()
                                        .contains("no connection is enabled"));
    }

    @Test
    void withNoValidPlanEveryProblemOfBothIsListed() {
        assertThatThrownBy(() -> decide(NO_CONNECTION_ENABLED, "", false))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .hasSize(2)
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "no connection is enabled"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "single-connection mode needs")));
    }

    @Test
    void aConnectionWithoutTickersIsNotedIdleUnlessAPlacingRouterFillsIt() {
        Map<String, String> env =
                Map.of(
                        "USE_MULTI_CONNECTION", "true",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL",
                        "WEBSOCKET_CONNECTION_2_ENABLED", "true");

        ConnectionPlanner.Decision manual = decide(env, "", false);
        assertThat(manual.mode).isEqualTo(Tickmux.Mode.MULTI);
        assertThat(manual.notes)
                .singleElement()
                .asString()
                .contains("connection 2 (secondary) has no tickers")
                .endsWith("it stays idle");

        ConnectionPlanner.Decision placing = decide(env, "", true);
        assertThat(placing.plan.connections).hasSize(2);
        assertThat(placing.notes).isEmpty();
    }
}
