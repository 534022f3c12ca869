package io.tickmux.universe.jdbc;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tickmux.spi.config.MaskedConfig;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.universe.Universe;
import io.tickmux.spi.universe.UniverseJson;
import io.tickmux.spi.universe.UniverseSource;
import io.tickmux.spi.universe.UniverseSourceFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Universes read from a database over JDBC, through a small connection pool. Two table shapes:
 * {@code json} (one row, a JSON document per universe, as the original app's {@code cache_entries}
 * table; parsed as strict JSON, so an {@code include} in a row is an error, never followed) and
 * {@code rows} (one symbol per row; a row that is not a valid symbol is skipped and named). Every
 * query has a timeout ({@code query-timeout}). When the database cannot be reached, the last
 * universe read for a key is kept and the failure is reported by {@link #degradation()}, or in the
 * exception message of the first lookup that has nothing to fall back on. Closed with the
 * application. Thread-safe.
 */
public final class JdbcUniverseSource implements UniverseSource {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcUniverseSource.class);

    private final HikariDataSource pool;
    private final Settings settings;
    private final Map<String, Universe> lastGood = new ConcurrentHashMap<>();
    private volatile String lastError;

    /**
     * The settings of {@code tickmux.app.universes.jdbc}. {@link #toString()} masks the password
     * and any credentials in the URL.
     *
     * @param url the JDBC URL
     * @param user the database user
     * @param password the password
     * @param shape {@code json} or {@code rows}
     * @param query the query; its one parameter is the universe key
     * @param poolSize the connection pool's size
     * @param connectTimeout how long to wait for a connection
     * @param queryTimeout how long a query may run before it is cancelled (whole seconds)
     */
    public record Settings(
            String url,
            String user,
            Secret password,
            String shape,
            String query,
            int poolSize,
            Duration connectTimeout,
            Duration queryTimeout) {

        /** The configuration path these settings are read from. */
        public static final String PATH = "tickmux.app.universes.jdbc";

        /**
         * Reads the settings strictly: unknown keys, wrong types and bad values are listed
         * together.
         *
         * @param settings the subtree {@code tickmux.app.universes.jdbc}
         * @return the settings
         * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
         */
        public static Settings from(Config settings) {
            SettingsReader r = new SettingsReader(settings.atPath(PATH), PATH);
            String url = r.string("url");
            String user = r.string("user");
            String password = r.string("password");
            String shape = r.string("shape");
            String query = r.string("query");
            int poolSize = r.intIn("pool-size", 1, 64);
            Duration connect = r.duration("connect-timeout", Duration.ofMillis(250));
            Duration queryTimeout = r.duration("query-timeout", Duration.ofSeconds(1));
            if (!shape.equals("json") && !shape.equals("rows")) {
                r.problem("shape", "= '" + shape + "' is not valid: use json or rows");
            }
            if (!query.contains("?")) {
                r.problem("query", "has no parameter: it must take the universe key as ?");
            }
            r.finish();
            return new Settings(
                    url, user, Secret.of(password), shape, query, poolSize, connect, queryTimeout);
        }

        /**
         * @return the query timeout in whole seconds, as JDBC takes it (rounded up)
         */
        public int queryTimeoutSeconds() {
            long ms = queryTimeout.toMillis();
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (ms + 999) / 1000));
        }

        @Override
        public String toString() {
            return "JdbcUniverseSource.Settings[url="
                    + MaskedConfig.maskUrls(url)
                    + ", user="
                    + user
                    + ", password="
                    + password
                    + ", shape="
                    + shape
                    + ", query="
                    + query
                    + ", poolSize="
                    + poolSize
                    + ", connectTimeout="
                    + connectTimeout
                    + ", queryTimeout="
                    + queryTimeout
                    + "]";
        }
    }

    JdbcUniverseSource(HikariDataSource pool, Settings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * @return the settings it was made with
     */
    public Settings settings() {
        return settings;
    }

    @Override
    public Optional<List<String>> tickers(String key) {
        return read(key).map(Universe::tickers);
    }

    @Override
    public Optional<Universe> read(String key) {
        try (Connection c = pool.getConnection();
                PreparedStatement st = c.prepareStatement(settings.query())) {
            st.setQueryTimeout(settings.queryTimeoutSeconds());
            st.setString(1, key);
            Universe out;
            try (ResultSet rs = st.executeQuery()) {
                if (settings.shape().equals("json")) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    out =
                            UniverseJson.parse(
                                    rs.getString(1), "universe '" + key + "' in the database");
                } else {
                    Universe.Builder b = Universe.builder();
                    int row = 0;
                    while (rs.next()) {
                        row++;
                        b.add("row " + row, rs.getString(1));
                    }
                    if (row == 0) {
                        return Optional.empty();
                    }
                    out = b.build();
                }
            }
            lastGood.put(key, out);
            lastError = null;
            return Optional.of(out);
        } catch (SQLException e) {
            String why = explain(e);
            lastError = why;
            Universe previous = lastGood.get(key);
            if (previous != null) {
                LOG.warn(
                        "universe '{}': {}; keeping the previous {} tickers",
                        key,
                        why,
                        previous.tickers().size());
                return Optional.of(previous);
            }
            throw new UniverseException(why, e);
        }
    }

    /**
     * @return the last database failure, or {@code null} when the last lookup succeeded
     */
    public String lastError() {
        return lastError;
    }

    @Override
    public Optional<String> degradation() {
        String e = lastError;
        return e == null
                ? Optional.empty()
                : Optional.of("universe database: " + e + "; serving the last universes read");
    }

    private String explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = MaskedConfig.maskUrls(e.getMessage());
        if (state.equals("57014") || e instanceof SQLTimeoutException) {
            return "the query ran longer than tickmux.app.universes.jdbc.query-timeout ("
                    + settings.queryTimeoutSeconds()
                    + "s) and was cancelled ("
                    + message
                    + "): index the key column, or raise query-timeout";
        }
        if (state.equals("42P01")) {
            return "the query's table does not exist ("
                    + message
                    + "): create it, or fix tickmux.app.universes.jdbc.query";
        }
        if (state.startsWith("42")) {
            return "the query is invalid (" + message + "): fix tickmux.app.universes.jdbc.query";
        }
        if (state.startsWith("08") || e instanceof SQLTransientConnectionException) {
            return "the database is unreachable ("
                    + message
                    + "): check tickmux.app.universes.jdbc.url (TICKMUX_DB_URL) and that the database runs";
        }
        return "the query failed (" + message + ")";
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * @return whether {@link #close()} has closed the pool
     */
    boolean isClosed() {
        return pool.isClosed();
    }

    @Override
    public String toString() {
        return "JdbcUniverseSource[" + settings + "]";
    }

    /** The factory, named {@code jdbc}. */
    public static final class Factory implements UniverseSourceFactory {
        @Override
        public String name() {
            return "jdbc";
        }

        @Override
        public UniverseSource create(Config config) {
            Settings s = Settings.from(config);
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(s.url());
            hc.setUsername(s.user());
            hc.setPassword(s.password().reveal());
            hc.setMaximumPoolSize(s.poolSize());
            hc.setMinimumIdle(0);
            hc.setConnectionTimeout(Math.max(250, s.connectTimeout().toMillis()));
            hc.setInitializationFailTimeout(-1); // start even when the database is down
            hc.setPoolName("tickmux-universe-jdbc");
            return new JdbcUniverseSource(new HikariDataSource(hc), s);
        }
    }
}
