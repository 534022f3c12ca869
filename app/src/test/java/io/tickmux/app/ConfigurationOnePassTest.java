package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.core.universe.HoconUniverseSource;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Configuration is read in one pass: every problem of every module at once, each naming its path,
 * its origin and the fix (issue 16).
 */
class ConfigurationOnePassTest {

    private static Tickmux assemble(Map<String, String> env, String hocon) {
        Config root =
                Tickmux.load(ConfigFactory.parseString(TickmuxAssemblyTest.UNIVERSES + hocon), env);
        return Tickmux.builder(root).extensions(List.of()).build();
    }

    private static List<String> problems(Map<String, String> env, String hocon) {
        try {
            assemble(env, hocon).close();
        } catch (TickmuxConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a TickmuxConfigException");
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theNewUsersThreeMistakesAreListedTogetherWithTheirVariablesAndADidYouMean() {
        List<String> p =
                problems(
                        env(
                                "WEBSOCKET_ROUTING_STRATEGY", "round-robbin",
                                "WEBSOCKET_CONNECTIONS_MAX", "three",
                                "WEBSOCKET_HEALTH_CHECK_INTERVAL", "-5",
                                "SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20"),
                        "");
        assertThat(p)
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .contains("tickmux.core.max-connections has the wrong type")
                                        .contains("environment variable WEBSOCKET_CONNECTIONS_MAX"))
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .contains("tickmux.core.health-check-interval")
                                        .contains(
                                                "environment variable WEBSOCKET_HEALTH_CHECK_INTERVAL"))
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .contains("unknown router 'round-robbin'")
                                        .contains("manual"));
    }

    @Test
    void unknownKeysAndEnumValuesGetADidYouMean() {
        List<String> p =
                problems(
                        env("SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20"),
                        "tickmux.core.dispatch.overflow = drop-olds\n"
                                + "tickmux.core.max-conections = 2\n"
                                + "tickmux.app.universes.source = hocn\n");
        assertThat(p)
                .anySatisfy(s -> assertThat(s).contains("did you mean 'drop-oldest'?"))
                .anySatisfy(
                        s -> assertThat(s).contains("did you mean tickmux.core.max-connections?"))
                .anySatisfy(s -> assertThat(s).contains("did you mean 'hocon'?"));
    }

    @Test
    void badTickersAreProblemsNamingWhereTheyCameFrom() {
        List<String> p =
                problems(
                        env(
                                "USE_MULTI_CONNECTION", "true",
                                "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL MSFT,OOPS!,*,aapl,NVDA"),
                        "");
        assertThat(p)
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .contains("'AAPL MSFT' holds spaces or commas")
                                        .contains("connection 1")
                                        .contains(
                                                "environment variable WEBSOCKET_CONNECTION_1_SYMBOLS"))
                .anySatisfy(s -> assertThat(s).contains("'OOPS!' is not a symbol"))
                .anySatisfy(s -> assertThat(s).contains("'*' is a wildcard"))
                .anySatisfy(s -> assertThat(s).contains("'aapl' is not upper case: write AAPL"));
        assertThat(p).noneMatch(s -> s.contains("'NVDA'"));
    }

    @Test
    void aTickerOnTwoConnectionsIsAProblemOrWithTheSwitchAWarning() throws Exception {
        Map<String, String> e =
                env(
                        "USE_MULTI_CONNECTION", "true",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL,MSFT",
                        "WEBSOCKET_CONNECTION_2_ENABLED", "true",
                        "WEBSOCKET_CONNECTION_2_SYMBOLS", "JPM,AAPL",
                        "WEBSOCKET_CONNECTIONS_MAX", "3");
        assertThat(problems(e, "tickmux.app.strict = true"))
                .anySatisfy(
                        s ->
                                assertThat(s)
                                        .contains("ticker AAPL is listed on connection 1")
                                        .contains("and on connection 2"));
        try (Tickmux app =
                assemble(e, "tickmux.app.strict = true\ntickmux.app.duplicate-tickers = warn")) {
            assertThat(app.assignment().get("connection_1")).containsExactly("AAPL", "MSFT");
            assertThat(app.assignment().get("connection_2")).containsExactly("JPM");
            assertThat(app.notes()).anySatisfy(n -> assertThat(n).contains("AAPL"));
        }
    }

    @Test
    void everyConnectionSettingCanBeSetPerConnectionAlsoBeyondThree() throws Exception {
        Map<String, String> e =
                env(
                        "USE_MULTI_CONNECTION", "true",
                        "WEBSOCKET_CONNECTIONS_MAX", "5",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS", "AAPL",
                        "WEBSOCKET_CONNECTION_5_ENABLED", "true",
                        "WEBSOCKET_CONNECTION_5_NAME", "crypto",
                        "WEBSOCKET_CONNECTION_5_SYMBOLS", "X:BTCUSD",
                        "WEBSOCKET_CONNECTION_5_API_KEY", "second-account-key",
                        "WEBSOCKET_CONNECTION_5_URL", "wss://socket.massive.com/crypto",
                        "WEBSOCKET_CONNECTION_5_CHANNELS", "XT",
                        "WEBSOCKET_CONNECTION_5_CAPACITY", "10",
                        "WEBSOCKET_CONNECTION_5_TAGS", "crypto,24x7");
        try (Tickmux app = assemble(e, "")) {
            AppSettings.Connection c5 =
                    app.settings().connections().stream()
                            .filter(c -> c.number() == 5)
                            .findFirst()
                            .orElseThrow();
            assertThat(c5.name()).isEqualTo("crypto");
            assertThat(c5.capacity()).isEqualTo(10);
            assertThat(c5.tags()).containsExactly("crypto", "24x7");
            assertThat(c5.transportSettings().getString("api-key")).isEqualTo("second-account-key");
            assertThat(c5.transportSettings().getString("url"))
                    .isEqualTo("wss://socket.massive.com/crypto");
            assertThat(c5.transportSettings().getStringList("channels")).containsExactly("XT");
            assertThat(c5.toString()).doesNotContain("second-account-key");
            assertThat(app.assignment()).containsKeys("connection_1", "connection_5");
        }
    }

    @Test
    void anEnvironmentVariableThatIsNoPathNeverBreaksStartUp() throws Exception {
        try (Tickmux app =
                assemble(
                        env("SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20", "a@b", "c", "1X", "y"),
                        "")) {
            assertThat(app.assignment().get("connection_1")).contains("AAPL");
        }
    }

    @Test
    void aTransportsProblemsAreListedWithEveryOtherModulesAndItsCheckLeavesNothingOpen()
            throws Exception {
        List<String> life = new CopyOnWriteArrayList<>();
        TransportFactory picky =
                new TransportFactory() {
                    @Override
                    public String name() {
                        return "picky";
                    }

                    @Override
                    public Transport create(TransportContext context) {
                        List<String> problems = new ArrayList<>();
                        for (String key : List.of("key", "url")) {
                            if (!context.config().hasPath("tickmux.transport.picky." + key)) {
                                problems.add("tickmux.transport.picky." + key + " is not set");
                            }
                        }
                        if (!problems.isEmpty()) {
                            throw new TickmuxConfigException(problems);
                        }
                        life.add("created");
                        Transport mock = new MockTransport().create(context);
                        return new Transport() {
                            @Override
                            public TransportConnection create(
                                    ConnectionSpec spec, TransportListener listener) {
                                return mock.create(spec, listener);
                            }

                            @Override
                            public void close() {
                                life.add("closed");
                                mock.close();
                            }
                        };
                    }
                };
        Catalogue catalogue =
                Catalogue.of(
                        List.of(new ManualRoutingStrategyFactory()),
                        List.of(picky),
                        List.of(new HoconUniverseSource.Factory()),
                        List.of());
        Map<String, String> e = env("SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20");
        String hocon = TickmuxAssemblyTest.UNIVERSES + "tickmux.app.transport = picky\n";
        Config bad =
                Tickmux.load(
                        ConfigFactory.parseString(hocon + "tickmux.core.max-conections = 2\n"), e);

        assertThatThrownBy(
                        () ->
                                Tickmux.builder(bad)
                                        .catalogue(catalogue)
                                        .extensions(List.of())
                                        .build())
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        x ->
                                assertThat(x.problems())
                                        .contains(
                                                "tickmux.transport.picky.key is not set",
                                                "tickmux.transport.picky.url is not set")
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "did you mean"
                                                                                + " tickmux.core.max-connections?")));
        assertThat(life).isEmpty();

        Config good =
                Tickmux.load(
                        ConfigFactory.parseString(
                                hocon + "tickmux.transport.picky { key = k, url = u }\n"),
                        e);
        try (Tickmux app =
                Tickmux.builder(good).catalogue(catalogue).extensions(List.of()).build()) {
            assertThat(life)
                    .as("made and closed for the check, then made for the manager")
                    .containsExactly("created", "closed", "created");
        }
        assertThat(life).containsExactly("created", "closed", "created", "closed");
    }

    @Test
    void tickerMetadataAndABackfillHookAreChosenFromConfiguration() throws Exception {
        java.util.List<io.tickmux.spi.event.StatusEvent.Gap> filled =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        io.tickmux.spi.backfill.BackfillHookFactory recorder =
                new io.tickmux.spi.backfill.BackfillHookFactory() {
                    @Override
                    public String name() {
                        return "recorder";
                    }

                    @Override
                    public io.tickmux.spi.backfill.BackfillHook create(Config settings) {
                        assertThat(settings.getInt("budget")).isEqualTo(7);
                        return (gap, recovered) -> {
                            filled.add(gap);
                            return io.tickmux.spi.backfill.BackfillHook.Result.filled(0);
                        };
                    }
                };
        io.tickmux.core.Catalogue catalogue =
                io.tickmux.core.Catalogue.of(
                        List.of(new io.tickmux.core.routing.ManualRoutingStrategyFactory()),
                        List.of(new io.tickmux.transport.mock.MockTransport()),
                        List.of(new io.tickmux.core.universe.HoconUniverseSource.Factory()),
                        List.of(recorder));
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                TickmuxAssemblyTest.UNIVERSES
                                        + "tickmux.app.backfill = recorder\n"
                                        + "tickmux.backfill.recorder.budget = 7\n"
                                        + "tickmux.app.tickers { AAPL { tier = premium, sector ="
                                        + " technology, tags = [mega-cap] } }\n"),
                        env("SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20"));
        try (Tickmux app =
                Tickmux.builder(root).catalogue(catalogue).extensions(List.of()).build()) {
            assertThat(app.settings().tickers().get("AAPL").tier()).isEqualTo("premium");
            assertThat(app.settings().tickers().get("AAPL").sector()).isEqualTo("technology");
        }
        assertThat(
                        problems(
                                env("SYMBOL_UNIVERSE_KEY", "tech_leaders:top_20"),
                                "tickmux.app.backfill = rest\n"
                                        + "tickmux.app.tickers { aapl { tier = premium, colour ="
                                        + " red } }\n"))
                .anySatisfy(p -> assertThat(p).contains("unknown backfill hook 'rest'"))
                .anySatisfy(p -> assertThat(p).contains("unknown key").contains("colour"))
                .anySatisfy(p -> assertThat(p).contains("'aapl' is not upper case"));
    }
}
