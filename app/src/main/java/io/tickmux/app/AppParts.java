package io.tickmux.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.core.Catalogue;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.TickerView;
import io.tickmux.routing.config.ConfigProblems;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.universe.UniverseSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The parts of an application read from configuration, all of them valid: every module's settings
 * (the app's, core's, the router's, the transport's, the universe source's, the backfill hook's,
 * the sinks' and each extension's) are read in one pass before anything starts, and every problem
 * is listed at once.
 *
 * @param app the application's settings
 * @param core core's settings
 * @param strategy the router's name ({@code tickmux.routing.strategy})
 * @param router the router's factory
 * @param transport the transport's factory, its settings checked
 * @param universes the universe source
 */
record AppParts(
        AppSettings app,
        CoreSettings core,
        String strategy,
        RoutingStrategyFactory router,
        TransportFactory transport,
        UniverseSource universes) {

    /**
     * Reads every part, using a part the caller gives instead of the configured one; the caller's
     * transport and universe source are not checked here.
     *
     * @param root the whole configuration
     * @param catalogue the plugins
     * @param router the router to use, or {@code null} for the configured one
     * @param transport the transport to use, or {@code null} for the configured one
     * @param universes the universe source to use, or {@code null} for the configured one
     * @param extensions the extensions whose settings are checked too
     * @return the parts
     * @throws TickmuxConfigException listing every problem
     */
    static AppParts read(
            Config root,
            Catalogue catalogue,
            RoutingStrategyFactory router,
            TransportFactory transport,
            UniverseSource universes,
            List<TickmuxExtension> extensions) {
        List<String> problems = new ArrayList<>();
        AppSettings app = read(problems, () -> AppSettings.from(root));
        CoreSettings core = read(problems, () -> CoreSettings.from(root));
        String strategy = read(problems, () -> root.getString("tickmux.routing.strategy"));
        RoutingStrategyFactory routerFactory =
                router != null
                        ? router
                        : strategy == null
                                ? null
                                : read(problems, () -> catalogue.router(strategy));
        if (routerFactory != null && strategy != null) {
            int max = core != null ? core.maxConnections() : 1;
            read(
                    problems,
                    () ->
                            routerFactory.create(
                                    Catalogue.routerSettings(root, strategy),
                                    validationContext(max)));
        }
        TransportFactory transportFactory =
                transport != null
                        ? transport
                        : app == null
                                ? null
                                : read(
                                        problems,
                                        () -> checked(catalogue.transport(app.transport()), root));
        UniverseSource source =
                universes != null
                        ? universes
                        : app == null
                                ? null
                                : read(
                                        problems,
                                        () ->
                                                catalogue
                                                        .universeSource(app.universeSource())
                                                        .create(app.universeSourceSettings()));
        String backfill =
                app != null
                        ? app.backfill()
                        : root.hasPath("tickmux.app.backfill")
                                ? root.getString("tickmux.app.backfill").trim()
                                : "";
        if (!backfill.isEmpty()) {
            read(
                    problems,
                    () -> catalogue.backfill(backfill).create(backfillSettings(root, backfill)));
        }
        for (TickmuxExtension e : extensions) {
            problems.addAll(e.validate(root));
        }
        read(
                problems,
                () -> {
                    // Made and closed unstarted: only their settings are checked here.
                    Sinks.load(root, new SimpleMeterRegistry()).close();
                    return null;
                });
        if (!problems.isEmpty()) {
            throw new TickmuxConfigException(problems);
        }
        return new AppParts(app, core, strategy, routerFactory, transportFactory, source);
    }

    /**
     * A manager builder with these parts: core's settings, the transport made with this
     * configuration, the router with its settings, the ticker metadata and the backfill hook.
     *
     * @param root the whole configuration
     * @param catalogue the plugins, for the backfill hook
     * @return the builder; listeners, meters, sinks and connections are the caller's to add
     */
    MultiConnectionManager.Builder managerBuilder(Config root, Catalogue catalogue) {
        Map<String, TickerView> metadata = app.tickers();
        MultiConnectionManager.Builder b =
                MultiConnectionManager.builder()
                        .settings(core)
                        .transport(transport)
                        .config(root)
                        .routing(router, Catalogue.routerSettings(root, strategy))
                        .tickerMetadata(metadata::get);
        if (!app.backfill().isEmpty()) {
            b.backfill(
                    catalogue
                            .backfill(app.backfill())
                            .create(backfillSettings(root, app.backfill())));
        }
        return b;
    }

    /**
     * The backfill hook's settings subtree.
     *
     * @param root the whole configuration
     * @param name the hook's name
     * @return {@code tickmux.backfill."<name>"}, empty when absent
     */
    private static Config backfillSettings(Config root, String name) {
        String path = "tickmux.backfill.\"" + name + "\"";
        return root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
    }

    /**
     * Makes the factory's transport once and closes it, so its settings are read with every other
     * module's. The scheduler starts no thread unless the transport sets a timer, and stops with
     * the check.
     */
    private static TransportFactory checked(TransportFactory factory, Config root) {
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(1, Threads.named("tickmux-check"));
        try {
            factory.create(
                            TransportContext.of(
                                    root, Clock.systemUTC(), scheduler, new SimpleMeterRegistry()))
                    .close();
        } finally {
            scheduler.shutdownNow();
        }
        return factory;
    }

    /** Reads one part of the configuration, adding its problems to the list instead of throwing. */
    private static <T> T read(List<String> problems, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigProblems e) {
            problems.addAll(e.problems());
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            problems.add(e.getMessage());
        }
        return null;
    }

    /** What a router sees while its settings are checked, before the manager exists. */
    private static RoutingContext validationContext(int maxConnections) {
        return new RoutingContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public int maxConnections() {
                return maxConnections;
            }

            @Override
            public Optional<TickerView> ticker(String symbol) {
                return Optional.empty();
            }
        };
    }
}
