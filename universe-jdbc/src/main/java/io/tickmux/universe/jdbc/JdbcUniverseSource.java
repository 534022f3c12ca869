package io.tickmux.universe.jdbc;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tickmux.core.config.SettingsReader;
import io.tickmux.core.universe.FileUniverseSource;
import io.tickmux.core.universe.UniverseSource;
import io.tickmux.core.universe.UniverseSourceFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Universes read from a database over JDBC, through a small connection pool. Two table shapes:
 * {@code json} (one row, a JSON document per universe, as the original app's {@code cache_entries}
 * table) and {@code rows} (one symbol per row). When the database cannot be reached, the last
 * universe read for a key is kept and the failure is reported in the exception message of the first
 * lookup that has nothing to fall back on. Thread-safe.
 */
public final class JdbcUniverseSource implements UniverseSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcUniverseSource.class);

    private final HikariDataSource pool;
    private final String query;
    private final boolean json;
    private final Map<String, List<String>> lastGood = new ConcurrentHashMap<>();
    private volatile String lastError;

    JdbcUniverseSource(HikariDataSource pool, String query, boolean json) {
        this.pool = pool;
        this.query = query;
        this.json = json;
    }

    @Override
    public Optional<List<String>> tickers(String key) {
        try (Connection c = pool.getConnection();
                PreparedStatement st = c.prepareStatement(query)) {
            st.setString(1, key);
            List<String> out;
            try (ResultSet rs = st.executeQuery()) {
                if (json) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    out =
                            FileUniverseSource.parseJson(
                                    rs.getString(1), "universe '" + key + "' in the database");
                } else {
                    LinkedHashSet<String> set = new LinkedHashSet<>();
                    boolean any = false;
                    while (rs.next()) {
                        any = true;
                        String s = rs.getString(1);
                        if (s != null && !s.isBlank()) {
                            set.add(s.trim());
                        }
                    }
                    if (!any) {
                        return Optional.empty();
                    }
                    out = List.copyOf(set);
                }
            }
            lastGood.put(key, out);
            lastError = null;
            return Optional.of(out);
        } catch (SQLException e) {
            String why = explain(e);
            lastError = why;
            List<String> previous = lastGood.get(key);
            if (previous != null) {
                LOG.warn(
                        "universe '{}': {}; keeping the previous {} tickers",
                        key,
                        why,
                        previous.size());
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
        if (state.equals("42P01")) {
            return "the query's table does not exist ("
                    + e.getMessage()
                    + "): create it, or fix tickmux.app.universes.jdbc.query";
        }
        if (state.startsWith("42")) {
            return "the query is invalid ("
                    + e.getMessage()
                    + "): fix tickmux.app.universes.jdbc.query";
        }
        if (state.startsWith("08") || e instanceof java.sql.SQLTransientConnectionException) {
            return "the database is unreachable ("
                    + e.getMessage()
                    + "): check tickmux.app.universes.jdbc.url (TICKMUX_DB_URL) and that the database runs";
        }
        return "the query failed (" + e.getMessage() + ")";
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The factory, named {@code jdbc}. */
    public static final class Factory implements UniverseSourceFactory {
        @Override
        public String name() {
            return "jdbc";
        }

        @Override
        public UniverseSource create(Config settings) {
            Config root = settings.atPath("tickmux.app.universes.jdbc");
            SettingsReader r = new SettingsReader(root, "tickmux.app.universes.jdbc");
            String url = r.string("url");
            String user = r.string("user");
            String password = r.string("password");
            String shape = r.string("shape");
            String query = r.string("query");
            int poolSize = r.intIn("pool-size", 1, 64);
            Duration timeout = r.duration("connect-timeout", Duration.ofMillis(250));
            if (!shape.equals("json") && !shape.equals("rows")) {
                r.problem("shape", "= '" + shape + "' is not valid: use json or rows");
            }
            if (!query.contains("?")) {
                r.problem("query", "has no parameter: it must take the universe key as ?");
            }
            r.finish();
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(url);
            hc.setUsername(user);
            hc.setPassword(password);
            hc.setMaximumPoolSize(poolSize);
            hc.setMinimumIdle(0);
            hc.setConnectionTimeout(Math.max(250, timeout.toMillis()));
            hc.setInitializationFailTimeout(-1); // start even when the database is down
            hc.setPoolName("tickmux-universe-jdbc");
            return new JdbcUniverseSource(new HikariDataSource(hc), query, shape.equals("json"));
        }
    }
}
