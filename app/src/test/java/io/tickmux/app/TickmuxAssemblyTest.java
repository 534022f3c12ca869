package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The seed's appendix scenarios 1 to 4, each as .env-style environment and as HOCON, plus the modes
 * and the fallback, assembled on the mock transport. (Scenario 5 needs the round-robin router; its
 * module tests it.)
 */
class TickmuxAssemblyTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The universes the scenarios name, as the original app's cache would hold them. */
    static final String UNIVERSES =
            "tickmux.app.transport = mock\n"
                    + "tickmux.app.universes.hocon {\n"
                    + "  \"tech_leaders:top_20\" = [AAPL, NVDA, MSFT, AVGO, ORCL]\n"
                    + "  \"finance_sector:large_cap\" = [JPM, BAC, GS, V, MA]\n"
                    + "  \"healthcare_sector:top_10\" = [UNH, JNJ, PFE, ABBV, TMO]\n"
                    + "  \"market_leaders:top_50\" = [AAPL, MSFT, AMZN, GOOGL, META, BRK.B]\n"
                    + "  \"emerging_tech:ai_stocks\" = [PLTR, AI, SOUN]\n"
                    + "  \"stock_etf_test:combo_test\" = [SPY, QQQ, AAPL]\n"
                    + "}\n";

    private static Tickmux assemble(Map<String, String> env, String hocon) {
        Config root = Tickmux.load(ConfigFactory.parseString(UNIVERSES + hocon), env);
        return Tickmux.builder(root).extensions(List.of()).build();
    }

    private static Map<String, List<String>> run(Tickmux app) throws Exception {
        app.start();
        assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
        Map<String, List<String>> out = new HashMap<>();
        MultiConnectionManager m = app.manager();
        m.healthStatus()
                .connections()
                .forEach(c -> out.put(c.id(), m.tickersOf(c.id()).orElseThrow()));
        return out;
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void scenario1TechWatchlistsFromUniverseKeysAsEnvAndAsHocon() throws Exception {
        Map<String, String> dotEnv =
                env(
                        "USE_MULTI_CONNECTION",
                        "true",
                        "WEBSOCKET_CONNECTIONS_MAX",
                        "3",
                        "WEBSOCKET_CONNECTION_1_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_1_NAME",
                        "tech_leaders",
                        "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY",
                        "tech_leaders:top_20",
                        "WEBSOCKET_CONNECTION_2_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_2_NAME",
                        "finance_sector",
                        "WEBSOCKET_CONNECTION_2_UNIVERSE_KEY",
                        "finance_sector:large_cap",
                        "WEBSOCKET_CONNECTION_3_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_3_NAME",
                        "healthcare",
                        "WEBSOCKET_CONNECTION_3_UNIVERSE_KEY",
                        "healthcare_sector:top_10");
        String hocon =
                "tickmux.app { multi-connection = true, connections {"
                        + " 1 { name = tech_leaders, universe-key = \"tech_leaders:top_20\" },"
                        + " 2 { enabled = true, name = finance_sector, universe-key = \"finance_sector:large_cap\" },"
                        + " 3 { enabled = true, name = healthcare, universe-key = \"healthcare_sector:top_10\" } } }";
        for (Tickmux app : List.of(assemble(dotEnv, ""), assemble(Map.of(), hocon))) {
            try (app) {
                assertThat(app.mode()).isEqualTo(Tickmux.Mode.MULTI);
                Map<String, List<String>> t = run(app);
                assertThat(t.get("connection_1"))
                        .containsExactly("AAPL", "NVDA", "MSFT", "AVGO", "ORCL");
                assertThat(t.get("connection_2")).containsExactly("JPM", "BAC", "GS", "V", "MA");
                assertThat(t.get("connection_3"))
                        .containsExactly("UNH", "JNJ", "PFE", "ABBV", "TMO");
                assertThat(app.manager().healthStatus().connections())
                        .extracting(c -> c.name())
                        .containsExactly("tech_leaders", "finance_sector", "healthcare");
                assertThat(app.notes()).isEmpty();
            }
        }
    }

    @Test
    void scenario2DirectSymbolsOnOneConnection() throws Exception {
        Map<String, String> dotEnv =
                env(
                        "USE_MULTI_CONNECTION",
                        "true",
                        "WEBSOCKET_CONNECTION_1_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_1_NAME",
                        "primary_watchlist",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS",
                        "AAPL,NVDA,TSLA,AMZN,GOOGL,MSFT,META",
                        "WEBSOCKET_CONNECTION_2_ENABLED",
                        "false",
                        "WEBSOCKET_CONNECTION_3_ENABLED",
                        "false");
        String hocon =
                "tickmux.app { multi-connection = true, connections.1 { name = primary_watchlist,"
                        + " symbols = [AAPL, NVDA, TSLA, AMZN, GOOGL, MSFT, META] } }";
        for (Tickmux app : List.of(assemble(dotEnv, ""), assemble(Map.of(), hocon))) {
            try (app) {
                Map<String, List<String>> t = run(app);
                assertThat(t).containsOnlyKeys("connection_1");
                assertThat(t.get("connection_1"))
                        .containsExactly("AAPL", "NVDA", "TSLA", "AMZN", "GOOGL", "MSFT", "META");
            }
        }
    }

    @Test
    void scenario3SingleConnectionOnSymbolUniverseKeyIsTheDefaultMode() throws Exception {
        Map<String, String> dotEnv =
                env(
                        "USE_MULTI_CONNECTION",
                        "false",
                        "SYMBOL_UNIVERSE_KEY",
                        "stock_etf_test:combo_test");
        String hocon = "tickmux.app.single.universe-key = \"stock_etf_test:combo_test\"";
        for (Tickmux app : List.of(assemble(dotEnv, ""), assemble(Map.of(), hocon))) {
            try (app) {
                assertThat(app.mode()).isEqualTo(Tickmux.Mode.SINGLE);
                Map<String, List<String>> t = run(app);
                assertThat(t).containsOnlyKeys("connection_1");
                assertThat(t.get("connection_1")).containsExactly("SPY", "QQQ", "AAPL");
            }
        }
    }

    @Test
    void scenario4HybridUniverseAndSymbols() throws Exception {
        Map<String, String> dotEnv =
                env(
                        "USE_MULTI_CONNECTION",
                        "true",
                        "WEBSOCKET_CONNECTION_1_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY",
                        "market_leaders:top_50",
                        "WEBSOCKET_CONNECTION_2_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_2_SYMBOLS",
                        "TSLA,GME,AMC",
                        "WEBSOCKET_CONNECTION_3_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_3_UNIVERSE_KEY",
                        "emerging_tech:ai_stocks");
        String hocon =
                "tickmux.app { multi-connection = true, connections {"
                        + " 1.universe-key = \"market_leaders:top_50\","
                        + " 2 { enabled = true, symbols = \"TSLA,GME,AMC\" },"
                        + " 3 { enabled = true, universe-key = \"emerging_tech:ai_stocks\" } } }";
        for (Tickmux app : List.of(assemble(dotEnv, ""), assemble(Map.of(), hocon))) {
            try (app) {
                Map<String, List<String>> t = run(app);
                assertThat(t.get("connection_1"))
                        .containsExactly("AAPL", "MSFT", "AMZN", "GOOGL", "META", "BRK.B");
                assertThat(t.get("connection_2")).containsExactly("TSLA", "GME", "AMC");
                assertThat(t.get("connection_3")).containsExactly("PLTR", "AI", "SOUN");
            }
        }
    }

    @Test
    void aMissingUniverseFallsBackToSymbolsAndNeitherLeavesTheConnectionIdleWithAWarning()
            throws Exception {
        try (Tickmux app =
                assemble(
                        env(
                                "USE_MULTI_CONNECTION",
                                "true",
                                "WEBSOCKET_CONNECTION_1_UNIVERSE_KEY",
                                "no_such:universe",
                                "WEBSOCKET_CONNECTION_1_SYMBOLS",
                                "AAPL",
                                "WEBSOCKET_CONNECTION_2_ENABLED",
                                "true"),
                        "")) {
            Map<String, List<String>> t = run(app);
            assertThat(t.get("connection_1")).containsExactly("AAPL");
            assertThat(t.get("connection_2")).isEmpty();
            assertThat(app.manager().healthStatus().notes())
                    .containsExactly(
                            "connection 1 (primary): universe 'no_such:universe' is not found; using its direct symbols",
                            "connection 2 (secondary) has no tickers: set a universe key or symbols; it stays idle");
            assertThat(app.manager().healthStatus().toMap()).containsKey("notes");
        }
    }

    @Test
    void anInvalidMultiConnectionSetupFallsBackToSingleConnectionUnlessStrict() throws Exception {
        Map<String, String> bad =
                env(
                        "USE_MULTI_CONNECTION",
                        "true",
                        "WEBSOCKET_CONNECTIONS_MAX",
                        "1",
                        "WEBSOCKET_CONNECTION_2_ENABLED",
                        "true",
                        "WEBSOCKET_CONNECTION_2_SYMBOLS",
                        "JPM",
                        "WEBSOCKET_CONNECTION_1_SYMBOLS",
                        "AAPL",
                        "SYMBOL_UNIVERSE_KEY",
                        "stock_etf_test:combo_test");
        try (Tickmux app = assemble(bad, "")) {
            assertThat(app.mode()).isEqualTo(Tickmux.Mode.SINGLE_FALLBACK);
            assertThat(run(app).get("connection_1")).containsExactly("SPY", "QQQ", "AAPL");
            assertThat(app.manager().healthStatus().notes())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "fell back to single-connection mode: 2 connections are enabled but"
                                    + " tickmux.core.max-connections (WEBSOCKET_CONNECTIONS_MAX) is 1");
        }
        assertThatThrownBy(() -> assemble(bad, "tickmux.app.strict = true"))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("2 connections are enabled");
        Map<String, String> badBoth = new HashMap<>(bad);
        badBoth.remove("SYMBOL_UNIVERSE_KEY");
        assertThatThrownBy(() -> assemble(badBoth, ""))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("2 connections are enabled")
                .hasMessageContaining(
                        "single-connection mode needs tickmux.app.single.universe-key");
        assertThatThrownBy(
                        () ->
                                assemble(
                                        env(
                                                "USE_MULTI_CONNECTION",
                                                "true",
                                                "WEBSOCKET_CONNECTION_1_ENABLED",
                                                "false",
                                                "SYMBOL_UNIVERSE_KEY",
                                                "nope"),
                                        "tickmux.app.strict = true"))
                .hasMessageContaining("no connection is enabled");
    }

    @Test
    void unknownPluginNamesListTheKnownOnes() {
        assertThatThrownBy(
                        () ->
                                assemble(
                                        env("SYMBOL_UNIVERSE_KEY", "x"),
                                        "tickmux.app.transport = massiv"))
                .hasMessageContaining(
                        "unknown transport 'massiv' (tickmux.app.transport): known are [mock]");
        assertThatThrownBy(
                        () ->
                                assemble(
                                        env(
                                                "SYMBOL_UNIVERSE_KEY",
                                                "x",
                                                "WEBSOCKET_ROUTING_STRATEGY",
                                                "fastest"),
                                        ""))
                .hasMessageContaining("unknown router 'fastest'")
                .hasMessageContaining("manual");
        assertThatThrownBy(
                        () ->
                                assemble(
                                        env("SYMBOL_UNIVERSE_KEY", "x"),
                                        "tickmux.app.universes.source = redis"))
                .hasMessageContaining("unknown universe source 'redis'")
                .hasMessageContaining("[files, hocon]");
    }

    @Test
    void extensionsStartAfterTheManagerAndCloseBeforeItInReverseOrder() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<TickmuxExtension> exts = new ArrayList<>();
        for (String n : List.of("first", "second", "disabled")) {
            exts.add(
                    new TickmuxExtension() {
                        @Override
                        public String name() {
                            return n;
                        }

                        @Override
                        public void registerMeters(CompositeMeterRegistry registry, Config root) {
                            log.add("meters " + n);
                        }

                        @Override
                        public AutoCloseable start(MultiConnectionManager manager, Config root) {
                            if (n.equals("disabled")) {
                                return null;
                            }
                            log.add(
                                    "start "
                                            + n
                                            + " connections="
                                            + manager.healthStatus().totalConnections());
                            return () -> log.add("close " + n);
                        }
                    });
        }
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(UNIVERSES),
                        env("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test"));
        Tickmux app = Tickmux.builder(root).extensions(exts).build();
        app.start();
        app.start();
        app.close();
        assertThat(log)
                .containsExactly(
                        "meters first",
                        "meters second",
                        "meters disabled",
                        "start first connections=1",
                        "start second connections=1",
                        "close second",
                        "close first");
    }
}
