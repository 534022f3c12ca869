package io.tickmux.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.universe.Symbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of {@code tickmux.app}: how an application is assembled (mode, transport,
 * connections, universes). Documented in core's {@code reference.conf}; every key of the original
 * application's {@code .env} maps onto one.
 *
 * @param multiConnection multi-connection mode ({@code USE_MULTI_CONNECTION})
 * @param strict fail instead of falling back to single-connection mode
 * @param transport the transport's name
 * @param single the single-connection settings
 * @param connections the numbered connections, in number order
 * @param universeSource the universe source's name
 * @param universes the {@code universes} subtree (each source's settings under its name)
 * @param duplicateTickers what a ticker listed on two connections is
 * @param tickers ticker metadata by symbol (tier, sector, tags), for routers
 * @param backfill the backfill hook's name; empty for none
 */
public record AppSettings(
        boolean multiConnection,
        boolean strict,
        String transport,
        Source single,
        List<Connection> connections,
        String universeSource,
        Config universes,
        DuplicateTickers duplicateTickers,
        Map<String, TickerView> tickers,
        String backfill) {

    public AppSettings {
        tickers = Map.copyOf(tickers);
    }

    /** What a ticker listed on two connections is. */
    public enum DuplicateTickers {
        /** A configuration problem. */
        FAIL,
        /** A warning; the first connection keeps it. */
        WARN
    }

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.app";

    /**
     * Where a connection's tickers come from.
     *
     * @param universeKey the universe key; empty for none
     * @param symbols direct symbols, used when the universe is missing or empty
     * @param symbolsOrigin where the symbols were set, for messages: the path and its origin
     */
    public record Source(String universeKey, List<String> symbols, String symbolsOrigin) {
        public Source {
            symbols = List.copyOf(symbols);
        }

        /**
         * @param universeKey the universe key; empty for none
         * @param symbols direct symbols
         */
        public Source(String universeKey, List<String> symbols) {
            this(universeKey, symbols, "");
        }

        /**
         * Two sources are the same when their universe and symbols are; where they came from is not
         * compared.
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Source other
                    && universeKey.equals(other.universeKey)
                    && symbols.equals(other.symbols);
        }

        @Override
        public int hashCode() {
            return universeKey.hashCode() * 31 + symbols.hashCode();
        }

        @Override
        public String toString() {
            return "Source[universeKey=" + universeKey + ", symbols=" + symbols + "]";
        }
    }

    /**
     * One numbered connection of multi-connection mode.
     *
     * @param number its number (1 for {@code WEBSOCKET_CONNECTION_1_*})
     * @param enabled whether it runs
     * @param name its human name
     * @param source where its tickers come from
     * @param capacity most tickers it may hold; 0 for {@code
     *     tickmux.core.max-tickers-per-connection}
     * @param tags labels routers may use (the sector router's connection tags, for one)
     * @param transportSettings its own transport settings ({@code api-key}, {@code url}, {@code
     *     channels}), only those it sets; empty when it uses the transport's
     */
    public record Connection(
            int number,
            boolean enabled,
            String name,
            Source source,
            int capacity,
            List<String> tags,
            Config transportSettings) {

        public Connection {
            tags = List.copyOf(tags);
        }

        /**
         * @param number its number
         * @param enabled whether it runs
         * @param name its human name
         * @param source where its tickers come from
         */
        public Connection(int number, boolean enabled, String name, Source source) {
            this(number, enabled, name, source, 0, List.of(), ConfigFactory.empty());
        }

        /**
         * @return the connection id, {@code connection_<number>} as in the original app
         */
        public String id() {
            return "connection_" + number;
        }

        @Override
        public String toString() {
            // transportSettings may hold an API key: never print them.
            return "Connection[number="
                    + number
                    + ", enabled="
                    + enabled
                    + ", name="
                    + name
                    + ", source="
                    + source
                    + ", capacity="
                    + capacity
                    + ", tags="
                    + tags
                    + ", own transport settings="
                    + transportSettings.root().keySet()
                    + "]";
        }
    }

    /**
     * Reads {@code tickmux.app}.
     *
     * @param root the whole configuration
     * @return the settings
     * @throws TickmuxConfigException listing every problem
     */
    public static AppSettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        List<String> problems = new ArrayList<>();
        boolean multi = r.bool("multi-connection");
        boolean strict = r.bool("strict");
        DuplicateTickers duplicates = r.enumValue("duplicate-tickers", DuplicateTickers.class);
        String backfill = r.string("backfill").trim();
        Map<String, TickerView> tickers = new LinkedHashMap<>();
        Config tickerConfig = r.freeForm("tickers");
        for (Map.Entry<String, ConfigValue> e : tickerConfig.root().entrySet()) {
            String path = PATH + ".tickers.\"" + e.getKey() + "\"";
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.add(path + " must be an object { tier, sector, tags }");
                continue;
            }
            SettingsReader tr =
                    new SettingsReader(ConfigFactory.empty().withValue(path, e.getValue()), path);
            String tier = tr.has("tier") ? tr.string("tier") : "";
            String sector = tr.has("sector") ? tr.string("sector") : "";
            List<String> tags = tr.has("tags") ? tr.stringList("tags") : List.of();
            try {
                tr.finish();
            } catch (TickmuxConfigException ex) {
                problems.addAll(ex.problems());
            }
            Symbols.problem(e.getKey()).ifPresent(p -> problems.add(path + ": " + p));
            tickers.put(e.getKey(), new TickerView(e.getKey(), tier, sector, Set.copyOf(tags)));
        }
        String transport = r.string("transport");
        Source single =
                new Source(
                        r.string("single.universe-key").trim(),
                        r.stringList("single.symbols"),
                        r.full("single.symbols") + r.origin("single.symbols"));
        List<Connection> connections = new ArrayList<>();
        Config defaults = r.freeForm("connection-defaults");
        Config cs = r.freeForm("connections");
        for (Map.Entry<String, ConfigValue> e : cs.root().entrySet()) {
            String key = e.getKey();
            int number;
            try {
                number = Integer.parseInt(key);
                if (number < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException ex) {
                problems.add(
                        PATH
                                + ".connections."
                                + key
                                + ": connections are numbered 1, 2, 3, ...;"
                                + " rename it to a positive number");
                continue;
            }
            if (e.getValue().valueType() != ConfigValueType.OBJECT) {
                problems.add(
                        PATH
                                + ".connections."
                                + key
                                + " must be an object { enabled, name,"
                                + " universe-key, symbols }");
                continue;
            }
            // A reader rooted at the connection's full path, so messages name it.
            SettingsReader cr =
                    new SettingsReader(
                            ConfigFactory.empty()
                                    .withValue(PATH + ".connections." + key, e.getValue())
                                    .withFallback(defaults.atPath(PATH + ".connections." + key)),
                            PATH + ".connections." + key);
            boolean enabled = cr.bool("enabled");
            String name = cr.string("name");
            Source src =
                    new Source(
                            cr.string("universe-key").trim(),
                            cr.stringList("symbols"),
                            cr.full("symbols") + cr.origin("symbols"));
            int capacity = cr.intIn("capacity", 0, Integer.MAX_VALUE);
            List<String> tags = cr.stringList("tags");
            Config own = ConfigFactory.empty();
            String apiKey = cr.string("api-key").trim();
            if (!apiKey.isEmpty()) {
                own = own.withValue("api-key", ConfigValueFactory.fromAnyRef(apiKey));
            }
            String url = cr.string("url").trim();
            if (!url.isEmpty()) {
                own = own.withValue("url", ConfigValueFactory.fromAnyRef(url));
            }
            List<String> channels = cr.stringList("channels");
            if (!channels.isEmpty()) {
                own = own.withValue("channels", ConfigValueFactory.fromIterable(channels));
            }
            try {
                cr.finish();
            } catch (TickmuxConfigException ex) {
                problems.addAll(ex.problems());
            }
            connections.add(
                    new Connection(
                            number,
                            enabled,
                            name.isBlank() ? "connection_" + number : name,
                            src,
                            capacity,
                            tags,
                            own));
        }
        connections.sort(Comparator.comparingInt(Connection::number));
        Config universes = r.freeForm("universes");
        r.duration("universes.refresh-interval", Duration.ZERO);
        String source = universes.hasPath("source") ? universes.getString("source") : "";
        if (source.isBlank()) {
            problems.add(
                    PATH
                            + ".universes.source is missing: use hocon, files, or a universe-source"
                            + " plugin's name");
        }
        try {
            r.finish();
        } catch (TickmuxConfigException ex) {
            problems.addAll(0, ex.problems());
        }
        if (!problems.isEmpty()) {
            throw new TickmuxConfigException(problems);
        }
        return new AppSettings(
                multi,
                strict,
                transport,
                single,
                connections,
                source,
                universes,
                duplicates,
                tickers,
                backfill);
    }

    /**
     * @return the connections that are enabled, in number order
     */
    public List<Connection> enabledConnections() {
        return connections.stream().filter(Connection::enabled).toList();
    }

    /**
     * How often universes are re-resolved ({@code universes.refresh-interval}), checked when the
     * settings are read.
     *
     * @return the interval; zero when universes are resolved once, at start
     */
    public Duration refreshInterval() {
        return universes.hasPath("refresh-interval")
                ? universes.getDuration("refresh-interval")
                : Duration.ZERO;
    }

    /**
     * The settings subtree of the configured universe source.
     *
     * @return {@code tickmux.app.universes.<source>}, empty when absent
     */
    public Config universeSourceSettings() {
        String path = "\"" + universeSource + "\"";
        return universes.hasPath(path) ? universes.getConfig(path) : ConfigFactory.empty();
    }
}
