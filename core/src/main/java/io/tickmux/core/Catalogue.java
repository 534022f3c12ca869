package io.tickmux.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.universe.FileUniverseSource;
import io.tickmux.core.universe.HoconUniverseSource;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.spi.backfill.BackfillHookFactory;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.universe.UniverseSourceFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins on the classpath, found with {@link ServiceLoader}: routers, transports and universe
 * sources, by name. A provider that fails to load, has an invalid name or repeats a name is
 * reported (logged and listed in {@link #problems()}) and the rest still load. Immutable once
 * built; thread-safe.
 */
public final class Catalogue {

    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Map<String, RoutingStrategyFactory> routers;
    private final Map<String, TransportFactory> transports;
    private final Map<String, UniverseSourceFactory> universes;
    private final Map<String, BackfillHookFactory> backfills;
    private final List<String> problems;

    private Catalogue(
            Map<String, RoutingStrategyFactory> routers,
            Map<String, TransportFactory> transports,
            Map<String, UniverseSourceFactory> universes,
            Map<String, BackfillHookFactory> backfills,
            List<String> problems) {
        this.routers = Map.copyOf(routers);
        this.transports = Map.copyOf(transports);
        this.universes = Map.copyOf(universes);
        this.backfills = Map.copyOf(backfills);
        this.problems = List.copyOf(problems);
    }

    /**
     * Loads every router and transport the context class loader sees.
     *
     * @return the catalogue
     */
    public static Catalogue load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        List<String> problems = new ArrayList<>();
        Map<String, RoutingStrategyFactory> routers =
                scan(
                        ServiceLoader.load(RoutingStrategyFactory.class, cl),
                        RoutingStrategyFactory::name,
                        "router",
                        problems);
        Map<String, TransportFactory> transports =
                scan(
                        ServiceLoader.load(TransportFactory.class, cl),
                        TransportFactory::name,
                        "transport",
                        problems);
        Map<String, UniverseSourceFactory> universes =
                scan(
                        ServiceLoader.load(UniverseSourceFactory.class, cl),
                        UniverseSourceFactory::name,
                        "universe source",
                        problems);
        Map<String, BackfillHookFactory> backfills =
                scan(
                        ServiceLoader.load(BackfillHookFactory.class, cl),
                        BackfillHookFactory::name,
                        "backfill hook",
                        problems);
        return new Catalogue(routers, transports, universes, backfills, problems);
    }

    /**
     * A catalogue of exactly the given factories, with no classpath scanning; for tests.
     *
     * @param routers routers
     * @param transports transports
     * @return the catalogue
     */
    public static Catalogue of(
            List<RoutingStrategyFactory> routers, List<TransportFactory> transports) {
        return of(
                routers,
                transports,
                List.of(new HoconUniverseSource.Factory(), new FileUniverseSource.Factory()));
    }

    /**
     * A catalogue of exactly the given factories, with no classpath scanning; for tests.
     *
     * @param routers routers
     * @param transports transports
     * @param universes universe sources
     * @return the catalogue
     */
    public static Catalogue of(
            List<RoutingStrategyFactory> routers,
            List<TransportFactory> transports,
            List<UniverseSourceFactory> universes) {
        List<String> problems = new ArrayList<>();
        return new Catalogue(
                scan(routers, RoutingStrategyFactory::name, "router", problems),
                scan(transports, TransportFactory::name, "transport", problems),
                scan(universes, UniverseSourceFactory::name, "universe source", problems),
                Map.of(),
                problems);
    }

    /**
     * The backfill hook factory with a name.
     *
     * @param name the name ({@code tickmux.app.backfill})
     * @return the factory
     * @throws IllegalArgumentException naming the known hooks when there is none
     */
    public BackfillHookFactory backfill(String name) {
        BackfillHookFactory f = backfills.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown backfill hook '"
                            + name
                            + "' (tickmux.app.backfill): known are "
                            + new TreeSet<>(backfills.keySet())
                            + SettingsReader.didYouMean(name, backfills.keySet())
                            + "; add the hook's module to the classpath, fix the name, or set \"\""
                            + " for none");
        }
        return f;
    }

    /**
     * A catalogue of exactly the given factories, with no classpath scanning; for tests.
     *
     * @param routers routers
     * @param transports transports
     * @param universes universe sources
     * @param backfills backfill hooks
     * @return the catalogue
     */
    public static Catalogue of(
            List<RoutingStrategyFactory> routers,
            List<TransportFactory> transports,
            List<UniverseSourceFactory> universes,
            List<BackfillHookFactory> backfills) {
        List<String> problems = new ArrayList<>();
        return new Catalogue(
                scan(routers, RoutingStrategyFactory::name, "router", problems),
                scan(transports, TransportFactory::name, "transport", problems),
                scan(universes, UniverseSourceFactory::name, "universe source", problems),
                scan(backfills, BackfillHookFactory::name, "backfill hook", problems),
                problems);
    }

    /**
     * @return universe source names, sorted
     */
    public List<String> universeSourceNames() {
        return List.copyOf(new TreeMap<>(universes).keySet());
    }

    /**
     * The universe source factory with a name.
     *
     * @param name the name, e.g. {@code hocon}
     * @return the factory
     * @throws IllegalArgumentException naming the known sources when there is none
     */
    public UniverseSourceFactory universeSource(String name) {
        UniverseSourceFactory f = universes.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown universe source '"
                            + name
                            + "' (tickmux.app.universes.source): known are "
                            + universeSourceNames()
                            + SettingsReader.didYouMean(name, universes.keySet()));
        }
        return f;
    }

    private static <T> Map<String, T> scan(
            Iterable<T> source, Function<T, String> name, String kind, List<String> problems) {
        Map<String, T> out = new TreeMap<>();
        Iterator<T> it = source.iterator();
        while (true) {
            T t;
            try {
                if (!it.hasNext()) {
                    break;
                }
                t = it.next();
            } catch (ServiceConfigurationError e) {
                String p =
                        "a " + kind + " provider failed to load and is skipped: " + e.getMessage();
                LOG.error(p, e);
                problems.add(p);
                continue;
            }
            String n;
            try {
                n = name.apply(t);
            } catch (RuntimeException e) {
                problems.add(kind + " " + t.getClass().getName() + " threw from name(): " + e);
                continue;
            }
            if (n == null || !NAME.matcher(n).matches()) {
                String p =
                        kind
                                + " "
                                + t.getClass().getName()
                                + " has an invalid name '"
                                + n
                                + "': use [a-z][a-z0-9-]*";
                LOG.error(p);
                problems.add(p);
            } else if (out.containsKey(n)) {
                String p =
                        "two "
                                + kind
                                + "s are named '"
                                + n
                                + "': "
                                + out.get(n).getClass().getName()
                                + " and "
                                + t.getClass().getName()
                                + "; the first is kept";
                LOG.error(p);
                problems.add(p);
            } else {
                out.put(n, t);
            }
        }
        return out;
    }

    /**
     * @return router names, sorted
     */
    public List<String> routerNames() {
        return List.copyOf(new TreeMap<>(routers).keySet());
    }

    /**
     * @return transport names, sorted
     */
    public List<String> transportNames() {
        return List.copyOf(new TreeMap<>(transports).keySet());
    }

    /**
     * @return problems met while loading, empty when none
     */
    public List<String> problems() {
        return problems;
    }

    /**
     * The router factory with a name.
     *
     * @param name the name, e.g. {@code round-robin}
     * @return the factory
     * @throws IllegalArgumentException naming the known routers when there is none
     */
    public RoutingStrategyFactory router(String name) {
        RoutingStrategyFactory f = routers.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown router '"
                            + name
                            + "' (tickmux.routing.strategy): known are "
                            + routerNames()
                            + SettingsReader.didYouMean(name, routers.keySet())
                            + "; add the router's module to the classpath or fix the name");
        }
        return f;
    }

    /**
     * The transport factory with a name.
     *
     * @param name the name, e.g. {@code massive}
     * @return the factory
     * @throws IllegalArgumentException naming the known transports when there is none
     */
    public TransportFactory transport(String name) {
        TransportFactory f = transports.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown transport '"
                            + name
                            + "' (tickmux.app.transport): known are "
                            + transportNames()
                            + SettingsReader.didYouMean(name, transports.keySet())
                            + "; add the transport's module to the classpath or fix the name");
        }
        return f;
    }

    /**
     * The settings subtree of a router, {@code tickmux.routing.<name>}.
     *
     * @param root the whole configuration
     * @param name the router's name
     * @return the subtree, empty when absent
     */
    public static Config routerSettings(Config root, String name) {
        String path = "tickmux.routing.\"" + name + "\"";
        return root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
    }
}
