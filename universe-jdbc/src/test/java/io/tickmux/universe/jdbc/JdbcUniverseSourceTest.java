package io.tickmux.universe.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import io.tickmux.core.Catalogue;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.universe.Universe;
import io.tickmux.spi.universe.UniverseSource;
import io.tickmux.spi.universe.UniverseSourceFactory;
import io.tickmux.transport.mock.MockTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aJsonRowWithAnIncludeIsAnErrorAndTheIncludeIsNeverFollowed(@TempDir Path dir)
            throws Exception {
        Path evil = dir.resolve("evil.json");
        Files.writeString(evil, "{\"stocks\":[{\"ticker\":\"EVIL\"}]}");
        String path = evil.toString().replace("\\", "/");
        sql(
                "INSERT INTO "
                        + table
                        + " VALUES ('file', '{ include file(\""
                        + path
                        + "\"), \"tickers\": [\"A\"] }'), ('url', '{ include url(\"file://"
                        + path
                        + "\") }'), ('data', '{\"include\": \"file(x)\", \"tickers\": [\"A\"]}')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source("query = \"SELECT value FROM " + table + " WHERE key = ?\"")) {
            for (String key : List.of("file", "url")) {
                assertThatThrownBy(() -> s.tickers(key))
                        .as(key)
                        .isInstanceOf(UniverseSource.UniverseException.class)
                        .hasMessageContaining(
                                "universe '" + key + "' in the database is not valid JSON")
                        .hasMessageNotContaining("EVIL");
            }
            assertThat(s.tickers("data")).contains(List.of("A"));
        }
    }

    @Test
    void aBadRowIsSkippedAndNamedAndTheOthersKept() throws Exception {
        sql(
                "INSERT INTO "
                        + table
                        + "_rows VALUES ('u', 'A'), ('u', 'AAPL MSFT'), ('u', 'b'), ('u', NULL), ('u', ' C ')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source(
                                "shape = rows, query = \"SELECT symbol FROM "
                                        + table
                                        + "_rows WHERE universe_key = ? ORDER BY symbol COLLATE \\\"C\\\" NULLS LAST\"")) {
            Universe u = s.read("u").orElseThrow();
            assertThat(u.tickers()).containsExactly("C", "A");
            assertThat(u.skipped())
                    .containsExactly(
                            "row 3: 'AAPL MSFT' holds spaces or commas: write one symbol per entry",
                            "row 4: 'b' is not upper case: write B",
                            "row 5: is empty: give one symbol");
            assertThat(s.tickers("u")).contains(List.of("C", "A"));
        }
    }

    @Test
    void aSlowQueryIsCancelledAfterTheQueryTimeout() throws Exception {
        sql("INSERT INTO " + table + " VALUES ('u', '[\"A\"]')");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource)
                        source(
                                "query-timeout = 1s, query = \"SELECT value FROM "
                                        + table
                                        + ", pg_sleep(60) WHERE key = ?\"")) {
            assertThat(s.settings().queryTimeoutSeconds()).isEqualTo(1);
            assertThatThrownBy(() -> s.tickers("u"))
                    .isInstanceOf(UniverseSource.UniverseException.class)
                    .hasMessageContaining(
                            "the query ran longer than tickmux.app.universes.jdbc.query-timeout (1s)");
        }
    }

    @Test
    void theSettingsAreReadStrictlyAndTheirToStringMasksEverySecret() {
        Config c =
                ConfigFactory.parseString(
                                "url = \"jdbc:postgresql://app:URLPW1@db:5432/t?password=QUERYPW1&sslmode=require\","
                                        + " password = SECRETPW1, query-timeout = 1500ms")
                        .withFallback(
                                ConfigFactory.defaultReference()
                                        .getConfig("tickmux.app.universes.jdbc"));
        JdbcUniverseSource.Settings st = JdbcUniverseSource.Settings.from(c);
        assertThat(st.password().reveal()).isEqualTo("SECRETPW1");
        assertThat(st.queryTimeoutSeconds()).isEqualTo(2);
        assertThat(st.queryTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(st.toString())
                .doesNotContain("URLPW1")
                .doesNotContain("QUERYPW1")
                .doesNotContain("SECRETPW1")
                .contains("url=jdbc:postgresql://app:****@db:5432/t?password=****&sslmode=require")
                .contains("password=****")
                .contains("user=postgres")
                .contains("queryTimeout=PT1.5S");
        try (JdbcUniverseSource s =
                (JdbcUniverseSource) new JdbcUniverseSource.Factory().create(c)) {
            assertThat(s.toString()).doesNotContain("URLPW1").doesNotContain("SECRETPW1");
            assertThat(s.settings()).isEqualTo(st);
        }
        // Through the environment, as the app loads it: the effective-config log masks them too.
        Config root =
                Tickmux.load(
                        ConfigFactory.empty(),
                        Map.of(
                                "TICKMUX_DB_PASSWORD", "ENVPW1",
                                "TICKMUX_DB_URL", "jdbc:postgresql://app:ENVPW2@db/t"));
        assertThat(io.tickmux.spi.config.MaskedConfig.render(root))
                .doesNotContain("ENVPW1")
                .doesNotContain("ENVPW2")
                .contains("jdbc:postgresql://app:****@db/t");
        assertThatThrownBy(
                        () ->
                                JdbcUniverseSource.Settings.from(
                                        ConfigFactory.parseString(
                                                        "query-timeout = 0s, query-timout = 5s,"
                                                                + " pool-size = 0")
                                                .withFallback(c)))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "tickmux.app.universes.jdbc.query-timeout"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "did you mean tickmux.app.universes.jdbc.query-timeout?"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .startsWith(
                                                                        "tickmux.app.universes.jdbc.pool-size")));
    }

    /** The JDBC source, counting reads, and kept so the test can see it closed. */
    static final class Captured implements UniverseSourceFactory {
        final AtomicReference<JdbcUniverseSource> source = new AtomicReference<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public String name() {
            return "jdbc";
        }

        @Override
        public UniverseSource create(Config settings) {
            JdbcUniverseSource s =
                    (JdbcUniverseSource) new JdbcUniverseSource.Factory().create(settings);
            source.set(s);
            return new UniverseSource() {
                @Override
                public Optional<List<String>> tickers(String key) {
                    return read(key).map(Universe::tickers);
                }

                @Override
                public Optional<Universe> read(String key) {
                    try {
                        return s.read(key);
                    } finally {
                        reads.incrementAndGet();
                    }
                }

                @Override
                public Optional<String> degradation() {
                    return s.degradation();
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    }

    @Test
    void aRefreshSkipsABadRowWithOneNoteAnOutageKeepsOneNoteAndClosingTheAppClosesThePool()
            throws Exception {
        sql("INSERT INTO " + table + "_rows VALUES ('u', 'A'), ('u', 'B')");
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(
                                "tickmux.app { transport = mock, single.universe-key = u, universes {"
                                        + " source = jdbc, refresh-interval = 100ms, jdbc { url = \""
                                        + url
                                        + "\", user = \""
                                        + user
                                        + "\", password = \""
                                        + password
                                        + "\", shape = rows, query = \"SELECT symbol FROM "
                                        + table
                                        + "_rows WHERE universe_key = ? ORDER BY symbol\" } } }"),
                        Map.of());
        Captured captured = new Captured();
        Tickmux app =
                Tickmux.builder(root)
                        .catalogue(
                                Catalogue.of(
                                        List.of(new ManualRoutingStrategyFactory()),
                                        List.of(new MockTransport()),
                                        List.of(captured)))
                        .extensions(List.of())
                        .build();
        try (app) {
            app.start();
            assertThat(app.awaitSubscribed(TIMEOUT)).isTrue();
            sql("INSERT INTO " + table + "_rows VALUES ('u', 'C'), ('u', 'NOT VALID')");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(app.manager().tickersOf("connection_1"))
                                        .contains(List.of("A", "B", "C"));
                                assertThat(app.manager().healthStatus().notes())
                                        .contains(
                                                "universe 'u': 1 entry skipped: row 4: 'NOT VALID'"
                                                        + " holds spaces or commas: write one symbol"
                                                        + " per entry");
                            });

            sql("DROP TABLE " + table + "_rows");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(app.manager().healthStatus().notes())
                                            .anySatisfy(
                                                    n ->
                                                            assertThat(n)
                                                                    .startsWith(
                                                                            "universe database: the query's table does not exist")));
            int seen = captured.reads.get();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(captured.reads.get())
                                            .as("universe reads since the outage note")
                                            .isGreaterThanOrEqualTo(seen + 3));
            assertThat(app.manager().healthStatus().notes())
                    .filteredOn(n -> n.startsWith("universe database:"))
                    .hasSize(1);
            assertThat(app.manager().tickersOf("connection_1").orElseThrow())
                    .containsExactly("A", "B", "C");
            assertThat(captured.source.get().isClosed()).isFalse();
        }
        assertThat(captured.source.get().isClosed()).isTrue();
    }
}
