package io.tickmux.universe.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.app.Tickmux;
import io.tickmux.core.universe.UniverseSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real PostgreSQL: the one this machine provides on 127.0.0.1:5432 (database test), or
 * the one TICKMUX_TEST_DB_URL names; a throw-away container through Testcontainers where a Docker
 * engine exists; without a database the tests fail and say how to provide one.
 */
class JdbcUniverseSourceTest {

    /** Generous: it costs nothing when a test passes and spares a loaded machine a false alarm. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static String url;
    static String user;
    static String password;
    static org.testcontainers.containers.PostgreSQLContainer<?> container;

    private String table;

    /**
     * Testcontainers when a Docker engine is available; else TICKMUX_TEST_DB_URL; else the
     * machine's PostgreSQL on 127.0.0.1:5432. Named in the output; never a silent pass.
     */
    @BeforeAll
    static void database() {
        String explicit = System.getenv("TICKMUX_TEST_DB_URL");
        if (explicit == null
                && org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            container =
                    new org.testcontainers.containers.PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            url = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
        } else {
            url = explicit != null ? explicit : "jdbc:postgresql://127.0.0.1:5432/test";
            user = System.getenv().getOrDefault("TICKMUX_TEST_DB_USER", "postgres");
            password = System.getenv().getOrDefault("TICKMUX_TEST_DB_PASSWORD", "");
        }
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            System.out.println(
                    "JdbcUniverseSourceTest uses PostgreSQL "
                            + c.getMetaData().getDatabaseProductVersion()
                            + " at "
                            + url
                            + (container != null
                                    ? " (Testcontainers)"
                                    : " (no Docker engine: the machine's service)"));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "no PostgreSQL at "
                            + url
                            + " ("
                            + e.getMessage()
                            + "): run a Docker engine for Testcontainers, start the machine's (pg_ctlcluster <version>"
                            + " main start, as .ci/run does), or set TICKMUX_TEST_DB_URL, _USER and _PASSWORD",
                    e);
        }
    }

    @AfterAll
    static void stopContainer() {
        if (container != null) {
            container.stop();
        }
    }

    @BeforeEach
    void table() throws SQLException {
        table =
                "tmx_universe_"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        sql("CREATE TABLE " + table + " (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        sql("CREATE TABLE " + table + "_rows (universe_key TEXT, symbol TEXT)");
    }

    @AfterEach
    void drop() throws SQLException {
        sql("DROP TABLE IF EXISTS " + table);
        sql("DROP TABLE IF EXISTS " + table + "_rows");
    }

    private static void sql(String s) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute(s);
        }
    }

    private UniverseSource source(String extra) {
        Config settings =
                ConfigFactory.parseString(
                                "url = \""
                                        + url
                                        + "\", user = \""
                                        + user
                                        + "\", password = \""
                                        + password
                                        + "\", "
                                        + extra)
                        .withFallback(
                                ConfigFactory.defaultReference()
                                        .getConfig("tickmux.app.universes.jdbc"));
        return new JdbcUniverseSource.Factory().create(settings);
    }

    @Test
    void readsTheOriginalAppsCacheEntriesShape() throws Exception {
        sql(
                "INSERT INTO "
                        + table
                        + " VALUES ('tech_leaders:top_20',"
                        + " '{\"count\":2,\"stocks\":[{\"ticker\":\"AAPL\"},{\"ticker\":\"NVDA\"}]}')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source("query = \"SELECT value FROM " + table + " WHERE key = ?\"")) {
            assertThat(s.tickers("tech_leaders:top_20")).contains(List.of("AAPL", "NVDA"));
            assertThat(s.tickers("missing")).isEmpty();
            assertThat(s.lastError()).isNull();
        }
    }

    @Test
    void readsASymbolPerRowTable() throws Exception {
        sql(
                "INSERT INTO "
                        + table
                        + "_rows VALUES ('finance', 'JPM'), ('finance', 'BAC'), ('other', 'X')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source(
                                "shape = rows, query = \"SELECT symbol FROM "
                                        + table
                                        + "_rows WHERE universe_key = ? ORDER BY symbol DESC\"")) {
            assertThat(s.tickers("finance")).contains(List.of("JPM", "BAC"));
        }
    }

    @Test
    void aMissingTableOrABadQueryNamesTheFixAndTheLastUniverseIsKept() throws Exception {
        sql("INSERT INTO " + table + " VALUES ('u', '[\"A\",\"B\"]')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source("query = \"SELECT value FROM " + table + " WHERE key = ?\"")) {
            assertThat(s.tickers("u")).contains(List.of("A", "B"));
            sql("DROP TABLE " + table);
            assertThat(s.tickers("u")).contains(List.of("A", "B"));
            assertThat(s.lastError())
                    .contains("the query's table does not exist")
                    .contains("fix tickmux.app.universes.jdbc.query");
            assertThatThrownBy(() -> s.tickers("never-read"))
                    .isInstanceOf(UniverseSource.UniverseException.class)
                    .hasMessageContaining("does not exist");
        }
        try (JdbcUniverseSource bad = (JdbcUniverseSource) source("query = \"SELEKT ?\"")) {
            assertThatThrownBy(() -> bad.tickers("u")).hasMessageContaining("the query is invalid");
        }
        try (JdbcUniverseSource down =
                (JdbcUniverseSource)
                        new JdbcUniverseSource.Factory()
                                .create(
                                        ConfigFactory.parseString(
                                                        "url = \"jdbc:postgresql://127.0.0.1:1/test\", connect-timeout = 300ms,"
                                                                + " password = \"SECRETPW\"")
                                                .withFallback(
                                                        ConfigFactory.defaultReference()
                                                                .getConfig(
                                                                        "tickmux.app.universes.jdbc")))) {
            assertThatThrownBy(() -> down.tickers("u"))
                    .hasMessageContaining("unreachable")
                    .hasMessageNotContaining("SECRETPW");
        }
        assertThatThrownBy(() -> source("shape = xml, query = \"SELECT 1\""))
                .hasMessageContaining("shape = 'xml' is not valid")
                .hasMessageContaining("query has no parameter");
    }

    @Test
    void aChangedUniverseIsSubscribedAndUnsubscribedLive() throws Exception {
        sql("INSERT INTO " + table + " VALUES ('live:u', '[\"A\",\"B\"]')");
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                "tickmux.app { transport = mock, single.universe-key = \"live:u\", universes {"
                                        + " source = jdbc, refresh-interval = 100ms, jdbc { url = \""
                                        + url
                                        + "\", user = \""
                                        + user
                                        + "\", password = \""
                                        + password
                                        + "\", query = \"SELECT value FROM "
                                        + table
                                        + " WHERE key = ?\" } } }"),
                        Map.of());
        try (Tickmux app = Tickmux.builder(root).build()) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("A", "B");
            sql("UPDATE " + table + " SET value = '[\"B\",\"C\"]' WHERE key = 'live:u'");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(app.manager().tickersOf("connection_1"))
                                            .contains(List.of("B", "C")));
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            sql("DROP TABLE " + table);
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(app.manager().healthStatus().notes())
                                            .anySatisfy(
                                                    n ->
                                                            assertThat(n)
                                                                    .startsWith(
                                                                            "universe database: the query's table does not exist")));
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("B", "C");
        }
    }
}
