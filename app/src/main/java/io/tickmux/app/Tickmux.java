package io.tickmux.app;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickmux.core.Catalogue;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.routing.ManualRoutingStrategyFactory;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.spi.config.MaskedConfig;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.universe.UniverseSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p>This class is the facade; each job has its own type in this package: {@link AppParts} reads
 * every module's settings in one pass, {@link ConnectionPlanner} chooses the mode, connections and
 * tickers, {@link UniverseRefresher} follows the universes, and {@link Extensions} starts and stops
 * the extensions in order. Tickmux assembles them with the sinks and the manager, and orders start
 * and close.
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
    private final Extensions extensions;
    private final UniverseSource universes;
    private final UniverseRefresher refresher;
    private final Sinks sinks;
    private final GatewayRole role;
    private boolean sinksStarted;
    private boolean running;

    private Tickmux(Builder b) {
        this.root = b.root;
        this.role = b.role;
        Catalogue catalogue = b.catalogue != null ? b.catalogue : Catalogue.load();
        this.extensions = new Extensions(Extensions.discover(b.extensions));
        AppParts parts =
                AppParts.read(
                        root,
                        catalogue,
                        b.routerFactory,
                        b.transport,
                        b.universes,
                        extensions.all());
        this.app = parts.app();
        this.universes = parts.universes();
        this.routeThroughRouter = !parts.strategy().equals(ManualRoutingStrategyFactory.NAME);
        ConnectionPlanner.Decision decision =
                ConnectionPlanner.decide(app, parts.core(), universes, routeThroughRouter);
        List<String> notes = new ArrayList<>(catalogue.problems());
        notes.addAll(decision.notes);
        this.mode = decision.mode;
        this.assignment = new LinkedHashMap<>(decision.plan.assignment);
        this.notes = List.copyOf(notes);

        MeterRegistry registry = extensions.meterRegistry(b.registry, root);
        this.sinks = Sinks.load(root, registry);
        MultiConnectionManager.Builder mb =
                parts.managerBuilder(root, catalogue)
                        .tickListener(b.tickListener)
                        .statusListener(b.statusListener)
                        .meterRegistry(registry);
        sinks.attach(mb);
        decision.plan.connections.forEach(mb::connection);
        try {
            this.manager = mb.build();
        } catch (RuntimeException e) {
            sinks.close(); // nothing else was started
            throw e;
        }
        for (String n : this.notes) {
            manager.addNote(n);
        }
        this.refresher =
                new UniverseRefresher(
                        manager,
                        universes,
                        app,
                        parts.core(),
                        mode,
                        routeThroughRouter,
                        this.assignment);
        LOG.info("tickmux configuration (secrets masked): {}", MaskedConfig.render(root));
        LOG.info(
                "mode {}, transport {}, router {}, connections {}",
                mode,
                app.transport(),
                parts.strategy(),
                decision.plan.connections.stream().map(ConnectionDefinition::id).toList());
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
        AppParts.read(root, catalogue, null, null, null, Extensions.discover(null));
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
        extensions.start(this, root);
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
        extensions.start(this, root);
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
            return Collections.unmodifiableMap(new LinkedHashMap<>(assignment));
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
    public List<AutoCloseable> extensionHandles() {
        return extensions.handles();
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
        extensions.close();
        sinks.close();
        manager.close();
        universes.close();
        running = false;
    }

    /** Builds a {@link Tickmux}. */
    public static final class Builder {
        private final Config root;
        private Catalogue catalogue;
        private List<TickmuxExtension> extensions;
        private TickListener tickListener = e -> {};
        private StatusListener statusListener = e -> {};
        private MeterRegistry registry;
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
        public Builder meterRegistry(MeterRegistry registry) {
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
