package io.tickmux.core.app;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.core.Catalogue;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.StatusListener;
import io.tickmux.core.TickListener;
import io.tickmux.core.config.TickmuxConfigException;
import io.tickmux.core.internal.NamedThreadFactory;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.core.sink.Sinks;
import io.tickmux.core.transport.TransportContext;
import io.tickmux.core.transport.TransportFactory;
import io.tickmux.core.universe.UniverseSource;
import io.tickmux.routing.RoutingStrategyFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application assembled from configuration, without Guice: the manager with the configured
 * transport, router and connections, their tickers resolved from universes, and every extension on
 * the classpath (the health server, when its module is present).
 *
 * <pre>{@code
 * try (Tickmux app = Tickmux.builder(ConfigFactory.load()).tickListener(myListener).build()) {
 *     app.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Modes follow the original application: {@code tickmux.app.multi-connection = false} (env
 * {@code USE_MULTI_CONNECTION}) runs one connection on {@code SYMBOL_UNIVERSE_KEY}; {@code true}
 * runs the enabled numbered connections. An invalid multi-connection setup falls back to
 * single-connection mode when that is valid (an ERROR log lists every problem; health notes the
 * fallback) unless {@code tickmux.app.strict = true}.
 */
public final class Tickmux implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tickmux.class);

    /** The mode the application runs in. */
    public enum Mode {
        /** One connection on {@code SYMBOL_UNIVERSE_KEY}, as configured. */
        SINGLE,
        /** The enabled numbered connections. */
        MULTI,
        /** One connection because the multi-connection configuration was invalid. */
        SINGLE_FALLBACK
    }

    private final Config root;
    private final AppSettings app;
    private final Mode mode;
    private final MultiConnectionManager manager;
    private final Map<String, List<String>> assignment;
    private final boolean routeThroughRouter;
    private final List<String> notes;
    private final List<TickmuxExtension> extensions;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final UniverseSource universes;
    private final CoreSettings coreSettings;
    private final UniverseRefresher refresher;
    private final Sinks sinks;
    private final GatewayRole role;
    private boolean sinksStarted;
    private boolean extensionsStarted;
    private boolean running;

    private Tickmux(Builder b) {
        this.root = b.root;
        this.role = b.role;
        Catalogue catalogue = b.catalogue != null ? b.catalogue : Catalogue.load();
        List<TickmuxExtension> exts = new ArrayList<>();
        for (TickmuxExtension e :
                b.extensions != null ? b.extensions : ServiceLoader.load(TickmuxExtension.class)) {
            exts.add(e);
        }
        Parts parts = read(root, catalogue, b, exts);
        AppSettings app = parts.app();
        CoreSettings core = parts.core();
        String strategy = parts.strategy();
        RoutingStrategyFactory routerFactory = parts.router();
        TransportFactory transport = parts.transport();
        UniverseSource universes = parts.universes();
        this.app = app;
        List<String> notes = new ArrayList<>(catalogue.problems());

        ConnectionPlanner.Plan plan = ConnectionPlanner.plan(app, core, universes);
        Mode m = app.multiConnection() ? Mode.MULTI : Mode.SINGLE;
        if (app.multiConnection() && !plan.problems.isEmpty()) {
            ConnectionPlanner.Plan single = ConnectionPlanner.singlePlan(app, universes);
            if (app.strict() || !single.problems.isEmpty()) {
                List<String> all = new ArrayList<>(plan.problems);
                if (!app.strict()) {
                    all.addAll(single.problems);
                }
                throw new TickmuxConfigException(all);
            }
            LOG.error(
                    "multi-connection configuration is invalid, falling back to single-connection"
                            + " mode (set tickmux.app.strict = true to fail instead):\n  - {}",
                    String.join("\n  - ", plan.problems));
            notes.add("fell back to single-connection mode: " + String.join("; ", plan.problems));
            plan = single;
            m = Mode.SINGLE_FALLBACK;
        } else if (!app.multiConnection()) {
            plan = ConnectionPlanner.singlePlan(app, universes);
            if (!plan.problems.isEmpty()) {
                throw new TickmuxConfigException(plan.problems);
            }
        }
        boolean routerPlaces = !strategy.equals(ManualRoutingStrategyFactory.NAME);
        for (String w : plan.warnings) {
            // With a placing router (round-robin, ...) a connection without tickers of its own is
            // not idle: the router fills it.
            if (routerPlaces && w.endsWith("it stays idle")) {
                continue;
            }
            notes.add(w);
            LOG.warn(w);
        }
        this.mode = m;
        this.universes = universes;
        this.coreSettings = core;
        this.assignment = new LinkedHashMap<>(plan.assignment);
        this.notes = List.copyOf(notes);

        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        if (b.registry != null) {
            registry.add(b.registry);
        }
        this.extensions = exts;
        for (TickmuxExtension e : exts) {
            e.registerMeters(registry, root);
        }
        if (registry.getRegistries().isEmpty()) {
            registry.add(new SimpleMeterRegistry());
        }
        this.sinks = Sinks.load(root, registry);
        MultiConnectionManager.Builder mb =
                MultiConnectionManager.builder()
                        .settings(core)
                        .transport(transport)
                        .config(root)
                        .routing(routerFactory, Catalogue.routerSettings(root, strategy))
                        .tickListener(b.tickListener)
                        .statusListener(b.statusListener)
                        .meterRegistry(registry);
        Map<String, io.tickmux.routing.TickerView> metadata = app.tickers();
        mb.tickerMetadata(metadata::get);
        if (!app.backfill().isEmpty()) {
            mb.backfill(
                    catalogue
                            .backfill(app.backfill())
                            .create(backfillSettings(root, app.backfill())));
        }
        sinks.attach(mb);
        for (ConnectionDefinition d : plan.connections) {
            mb.connection(d);
        }
        try {
            this.manager = mb.build();
        } catch (RuntimeException e) {
            sinks.close();
            throw e;
        }
        for (String n : this.notes) {
            manager.addNote(n);
        }
        this.routeThroughRouter = routerPlaces;
        this.refresher =
                new UniverseRefresher(
                        manager, universes, app, core, mode, routerPlaces, this.assignment);
        LOG.info("tickmux configuration (secrets masked): {}", MaskedConfig.render(root));
        LOG.info(
                "mode {}, transport {}, router {}, connections {}",
                mode,
                app.transport(),
                strategy,
                plan.connections.stream().map(ConnectionDefinition::id).toList());
    }

    /** The parts read from configuration, all of them valid. */
    private record Parts(
            AppSettings app,
            CoreSettings core,
            String strategy,
            RoutingStrategyFactory router,
            TransportFactory transport,
            UniverseSource universes) {}

    /**
     * Reads every module's settings (the app's, core's, the router's, the transport's, the universe
     * source's and each extension's) in one pass.
     *
     * @throws TickmuxConfigException listing every problem
     */
    private static Parts read(
            Config root, Catalogue catalogue, Builder b, List<TickmuxExtension> exts) {
        // One pass: every module's settings are read before anything starts, and every problem
        // is listed at once.
        List<String> problems = new ArrayList<>();
        AppSettings app = read(problems, () -> AppSettings.from(root));
        CoreSettings core = read(problems, () -> CoreSettings.from(root));
        String strategy = read(problems, () -> root.getString("tickmux.routing.strategy"));
        RoutingStrategyFactory routerFactory =
                b.routerFactory != null
                        ? b.routerFactory
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
        TransportFactory transport =
                b.transport != null
                        ? b.transport
                        : app == null
                                ? null
                                : read(
                                        problems,
                                        () -> checked(catalogue.transport(app.transport()), root));
        UniverseSource universes =
                b.universes != null
                        ? b.universes
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
        for (TickmuxExtension e : exts) {
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
        return new Parts(app, core, strategy, routerFactory, transport, universes);
    }

    /**
     * Checks a whole configuration in one pass without assembling anything: every module's
     * settings, with the extensions on the classpath.
     *
     * @param root the whole configuration
     * @param catalogue the plugins
     * @throws TickmuxConfigException listing every problem
     */
    public static void check(Config root, Catalogue catalogue) {
        List<TickmuxExtension> exts = new ArrayList<>();
        ServiceLoader.load(TickmuxExtension.class).forEach(exts::add);
        read(root, catalogue, new Builder(root), exts);
    }

    /**
     * Makes the factory's transport once and closes it, so its settings are read with every other
     * module's. The scheduler starts no thread unless the transport sets a timer, and stops with
     * the check.
     */
    private static TransportFactory checked(TransportFactory factory, Config root) {
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("tickmux-check"));
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

    private static Config backfillSettings(Config root, String name) {
        String path = "tickmux.backfill.\"" + name + "\"";
        return root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
    }

    /** Reads one part of the configuration, adding its problems to the list instead of throwing. */
    private static <T> T read(List<String> problems, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (io.tickmux.routing.config.ConfigProblems e) {
            problems.addAll(e.problems());
        } catch (com.typesafe.config.ConfigException
                | IllegalArgumentException
                | IllegalStateException e) {
            problems.add(e.getMessage());
        }
        return null;
    }

    /** What a router sees while its settings are checked, before the manager exists. */
    private static io.tickmux.routing.RoutingContext validationContext(int maxConnections) {
        return new io.tickmux.routing.RoutingContext() {
            @Override
            public java.time.Clock clock() {
                return java.time.Clock.systemUTC();
            }

            @Override
            public int maxConnections() {
                return maxConnections;
            }

            @Override
            public java.util.Optional<io.tickmux.routing.TickerView> ticker(String symbol) {
                return java.util.Optional.empty();
            }
        };
    }

    /**
     * Starts building from a configuration.
     *
     * @param root the whole configuration (e.g. {@code ConfigFactory.load()} or {@link #load})
     * @return a builder
     */
    public static Builder builder(Config root) {
        return new Builder(root);
    }

    /**
     * Loads configuration with the environment given as a map, layered over the application's
     * configuration: see {@link TickmuxConfig#load(Config, Map)}.
     *
     * @param application the application's own configuration (may be empty)
     * @param environment variables such as {@code USE_MULTI_CONNECTION}
     * @return the resolved configuration with every module's reference.conf as fallback
     */
    public static Config load(Config application, Map<String, String> environment) {
        return TickmuxConfig.load(application, environment);
    }

    /**
     * Subscribes every connection's tickers (through the router, unless the router is {@code
     * manual}), connects, and starts the extensions. Idempotent once it succeeded; when an
     * extension cannot start, the ones started are stopped again and it may be called again.
     *
     * @throws Exception when an extension cannot start
     */
    public synchronized void start() throws Exception {
        if (running) {
            return;
        }
        if (!sinksStarted) {
            sinks.start(manager); // before the first event: a sink must see the whole feed
            sinksStarted = true;
        }
        if (routeThroughRouter) {
            LinkedHashSet<String> all = new LinkedHashSet<>();
            assignment.values().forEach(all::addAll);
            for (String t : all) {
                manager.subscribeTicker(t);
            }
            manager.start();
        } else {
            manager.connectAll(assignment);
        }
        refresher.start();
        startExtensions();
        running = true;
    }

    /**
     * Starts the extensions (the health server, for one) without connecting and without starting
     * the sinks: a standby gateway's state (configuration and universes loaded, nothing connected),
     * with its health served. {@link #start()} later connects; the extensions are not started
     * twice. Idempotent.
     *
     * @throws Exception when an extension cannot start
     */
    public synchronized void startStandby() throws Exception {
        startExtensions();
    }

    private void startExtensions() throws Exception {
        if (extensionsStarted) {
            return;
        }
        for (TickmuxExtension e : extensions) {
            try {
                AutoCloseable c = e.start(this, root);
                if (c != null) {
                    started.add(c);
                    LOG.info("extension {} started", e.name());
                }
            } catch (Exception ex) {
                // Leave nothing half-started: stop the extensions started so far, so start() can
                // be called again (after fixing the cause) or close() stops cleanly.
                LOG.error("extension {} could not start; stopping the others", e.name(), ex);
                closeExtensions();
                throw ex;
            }
        }
        extensionsStarted = true;
    }

    /**
     * @return the gateway role given with {@link Builder#role}, or {@code null} for a gateway that
     *     is not part of a pair
     */
    public GatewayRole role() {
        return role;
    }

    /**
     * Waits until every connection is connected and subscribed.
     *
     * @param timeout how long to wait
     * @return whether it happened in time
     * @throws InterruptedException when interrupted
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return manager.awaitSubscribed(timeout);
    }

    /**
     * @return the manager
     */
    public MultiConnectionManager manager() {
        return manager;
    }

    /**
     * @return the mode the application runs in
     */
    public Mode mode() {
        return mode;
    }

    /**
     * @return the settings it was assembled from
     */
    public AppSettings settings() {
        return app;
    }

    /**
     * @return connection id to the tickers configured for it, in order
     */
    public Map<String, List<String>> assignment() {
        synchronized (assignment) {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assignment));
        }
    }

    /** Re-resolves the universes now (the refresh timer's work), for tests. */
    void refreshUniverses() {
        refresher.refresh();
    }

    /**
     * @return warnings and notices shown in health (fallback, idle connections, plugin problems)
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * @return the sinks configured with {@code tickmux.sinks}, for their health
     */
    public Sinks sinks() {
        return sinks;
    }

    /**
     * What the started extensions returned (the health server, for one), in start order.
     *
     * @return the handles; empty before {@link #start()}
     */
    public synchronized List<AutoCloseable> extensionHandles() {
        return List.copyOf(started);
    }

    /**
     * Registers a JVM shutdown hook that closes this application.
     *
     * @return this
     */
    public Tickmux closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "tickmux-shutdown"));
        return this;
    }

    /** Stops the extensions in reverse order, then the manager. Idempotent. */
    @Override
    public synchronized void close() {
        refresher.close();
        closeExtensions();
        sinks.close();
        manager.close();
        universes.close();
        running = false;
    }

    private void closeExtensions() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing an extension failed; continuing", e);
            }
        }
        started.clear();
        extensionsStarted = false;
    }

    /** Builds a {@link Tickmux}. */
    public static final class Builder {
        private final Config root;
        private Catalogue catalogue;
        private List<TickmuxExtension> extensions;
        private TickListener tickListener = e -> {};
        private StatusListener statusListener = e -> {};
        private io.micrometer.core.instrument.MeterRegistry registry;
        private TransportFactory transport;
        private RoutingStrategyFactory routerFactory;
        private UniverseSource universes;
        private GatewayRole role;

        private Builder(Config root) {
            this.root = requireNonNull(root, "root is null");
        }

        /**
         * @param catalogue plugins to use instead of scanning the classpath (tests)
         * @return this
         */
        public Builder catalogue(Catalogue catalogue) {
            this.catalogue = requireNonNull(catalogue, "catalogue is null");
            return this;
        }

        /**
         * @param transport the transport to use instead of the configured one (a Guice binding, a
         *     test); its settings are read when the manager creates its transport, with this
         *     configuration
         * @return this
         */
        public Builder transport(TransportFactory transport) {
            this.transport = requireNonNull(transport, "transport is null");
            return this;
        }

        /**
         * @param factory the router to use instead of the configured one; it still reads its
         *     settings from {@code tickmux.routing.<tickmux.routing.strategy>}
         * @return this
         */
        public Builder routerFactory(RoutingStrategyFactory factory) {
            this.routerFactory = requireNonNull(factory, "factory is null");
            return this;
        }

        /**
         * @param universes the universe source to use instead of the configured one
         * @return this
         */
        public Builder universeSource(UniverseSource universes) {
            this.universes = requireNonNull(universes, "universes is null");
            return this;
        }

        /**
         * @param role this gateway's role in an active/standby pair, shown by the health server
         * @return this
         */
        public Builder role(GatewayRole role) {
            this.role = requireNonNull(role, "role is null");
            return this;
        }

        /**
         * @param extensions extensions to use instead of scanning the classpath (tests)
         * @return this
         */
        public Builder extensions(List<TickmuxExtension> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /**
         * @param listener receives every market event
         * @return this
         */
        public Builder tickListener(TickListener listener) {
            this.tickListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param listener receives status events
         * @return this
         */
        public Builder statusListener(StatusListener listener) {
            this.statusListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param registry an extra meter registry the manager's meters also go to
         * @return this
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.registry = requireNonNull(registry, "registry is null");
            return this;
        }

        /**
         * Assembles the application; nothing connects until {@link Tickmux#start()}.
         *
         * @return the application
         * @throws TickmuxConfigException listing every configuration problem
         * @throws IllegalArgumentException when a transport, router or universe source name is
         *     unknown (the message lists the known ones)
         */
        public Tickmux build() {
            return new Tickmux(this);
        }
    }
}
