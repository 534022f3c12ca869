package io.tickmux.core;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.core.internal.BackfillDispatcher;
import io.tickmux.core.internal.ManagerCore;
import io.tickmux.core.routing.ManualRoutingStrategy;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.sink.EventSink;
import io.tickmux.spi.transport.TransportFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Runs several feed connections as one: the seed's {@code MultiConnectionManager}.
 *
 * <p>Each ticker lives on exactly one connection, chosen by the caller or by the {@link
 * RoutingStrategy}. Each connection keeps a <em>desired</em> subscription set; changes are sent as
 * batched diffs while it is connected, and the whole set is sent again after every reconnect.
 * Connections reconnect by themselves with exponential backoff and jitter; an authentication
 * failure is terminal for that connection, an eviction for exceeding the account's connection limit
 * waits out a long cooldown. Events of all connections reach one {@link TickListener}; connection
 * changes reach one {@link StatusListener}.
 *
 * <p>Thread-safe. A manager with one connection is the single-connection mode: code written against
 * it runs unchanged against many.
 *
 * <pre>{@code
 * try (MultiConnectionManager m = MultiConnectionManager.builder()
 *         .transport(new MockTransport())
 *         .tickListener(event -> System.out.println(event))
 *         .connection(ConnectionDefinition.of("connection_1"))
 *         .build()) {
 *     m.connectAll(Map.of("connection_1", List.of("AAPL", "MSFT")));
 *     m.awaitSubscribed(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class MultiConnectionManager implements AutoCloseable {

    private final ManagerCore core;
    private final MeterRegistry registry;
    private final BackfillDispatcher backfill;

    private MultiConnectionManager(Builder b) {
        this.registry = b.registry;
        ManagerCore[] self = new ManagerCore[1];
        this.backfill =
                b.backfill == null
                        ? null
                        : new BackfillDispatcher(
                                b.backfill,
                                10_000,
                                b.tickListener,
                                b.clock,
                                e -> self[0].publish(e),
                                s -> self[0].connectionFor(s).isPresent(),
                                b.registry);
        List<EventSink> sinks = new ArrayList<>(b.sinks);
        if (backfill != null) {
            sinks.add(
                    backfill.edges()); // what arrived live at a gap's edges is not delivered twice
        }
        try {
            this.core =
                    new ManagerCore(
                            b.settings,
                            b.transport,
                            b.config,
                            b.router,
                            b.tickListener,
                            b.statusListener,
                            b.metadata,
                            b.registry,
                            b.clock,
                            b.random,
                            sinks);
        } catch (RuntimeException e) {
            if (backfill != null) {
                backfill.close();
            }
            throw e;
        }
        self[0] = core;
        if (backfill != null) {
            core.addStatusListener(backfill);
        }
    }

    /**
     * Starts building a manager.
     *
     * @return a builder with the defaults of core's {@code reference.conf}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a connection. It connects at once if the manager was started, else on {@link #start()}
     * or {@link #connectAll}.
     *
     * @param definition the connection
     * @return {@code false} when a connection with that id exists or the manager already holds
     *     {@code max-connections} connections (logged with the reason)
     * @throws IllegalStateException when the manager is closed
     */
    public boolean addConnection(ConnectionDefinition definition) {
        return core.addConnection(definition);
    }

    /**
     * The seed's {@code add_connection(connection_id, ticker_filter)}: adds a connection with the
     * default capacity ({@code tickmux.core.max-tickers-per-connection}) and subscribes the given
     * tickers on it.
     *
     * @param connectionId the id
     * @param tickerFilter tickers to put on it; may be empty
     * @return {@code true} when the connection was added and every ticker subscribed
     */
    public boolean addConnection(String connectionId, Collection<String> tickerFilter) {
        if (!core.addConnection(ConnectionDefinition.of(connectionId))) {
            return false;
        }
        boolean ok = true;
        for (String t : tickerFilter) {
            ok &= core.subscribe(t, connectionId);
        }
        return ok;
    }

    /**
     * Removes a connection and closes its socket. Its tickers are re-homed on the remaining
     * connections through the routing strategy; a ticker that fits nowhere is dropped with a {@link
     * io.tickmux.spi.event.StatusEvent.SubscriptionRefused} event.
     *
     * @param connectionId the id
     * @return {@code false} when no such connection exists
     */
    public boolean removeConnection(String connectionId) {
        return core.removeConnection(connectionId);
    }

    /**
     * Subscribes a ticker on the connection the routing strategy picks. Already subscribed is a
     * success that changes nothing.
     *
     * @param ticker the symbol, e.g. {@code AAPL} or {@code BRK.A}
     * @return {@code false} when no connection can take it (a status event says why)
     * @throws IllegalArgumentException when the symbol is malformed
     */
    public boolean subscribeTicker(String ticker) {
        return core.subscribe(ticker, null);
    }

    /**
     * Subscribes a ticker on a given connection, moving it there if it is elsewhere. {@code null}
     * means auto-assign, as {@link #subscribeTicker(String)}.
     *
     * @param ticker the symbol
     * @param connectionId the target connection, or {@code null}
     * @return {@code false} when the connection is unknown, full or down (a status event says why)
     * @throws IllegalArgumentException when the symbol is malformed
     */
    public boolean subscribeTicker(String ticker, String connectionId) {
        return core.subscribe(ticker, connectionId);
    }

    /**
     * Subscribes many tickers at once: each connection sends its share as one subscription (chunked
     * by the transport to the server's message limit) instead of one message per ticker.
     *
     * @param tickers the symbols
     * @param connectionId the target connection, or {@code null} for the router's choice
     * @return the tickers that could not be subscribed, empty when all were (a status event says
     *     why for each)
     * @throws IllegalArgumentException when a symbol is malformed (nothing is subscribed)
     */
    public List<String> subscribeTickers(Collection<String> tickers, String connectionId) {
        return core.subscribeAll(tickers, connectionId);
    }

    /**
     * Unsubscribes many tickers at once, one unsubscribe message per connection (chunked by the
     * transport).
     *
     * @param tickers the symbols
     * @return how many of them were subscribed
     */
    public int unsubscribeTickers(Collection<String> tickers) {
        return core.unsubscribeAll(tickers);
    }

    /**
     * Unsubscribes a ticker from whichever connection holds it.
     *
     * @param ticker the symbol
     * @return {@code false} when it was not subscribed
     */
    public boolean unsubscribeTicker(String ticker) {
        return core.unsubscribe(ticker);
    }

    /**
     * Marks a subscribed ticker critical (held on a second connection too, first copy of each event
     * wins, so losing either connection loses nothing for it) or no longer critical. Tickers listed
     * in {@code tickmux.core.redundancy.critical} are critical from their subscription.
     *
     * @param ticker the symbol
     * @param critical the new setting
     * @return {@code false} when the ticker is not subscribed, or no second connection can take it
     */
    public boolean setCritical(String ticker, boolean critical) {
        return core.setCritical(ticker, critical);
    }

    /**
     * The connection a ticker is assigned to. A single concurrent-map read.
     *
     * @param ticker the symbol
     * @return the connection id, or empty when the ticker is not subscribed
     */
    public Optional<String> connectionForTicker(String ticker) {
        return core.connectionFor(ticker);
    }

    /**
     * The tickers assigned to a connection, in subscription order.
     *
     * @param connectionId the id
     * @return the tickers, or empty when no such connection exists
     */
    public Optional<List<String>> tickersOf(String connectionId) {
        return core.tickersOf(connectionId);
    }

    /**
     * Subscribes each connection's tickers and starts every connection. Does not wait: see {@link
     * #awaitSubscribed(Duration)}.
     *
     * @param tickerAssignments connection id to its tickers
     * @return {@code false} when an assignment names an unknown connection or a ticker was refused
     *     (the rest still proceeds)
     */
    public boolean connectAll(Map<String, ? extends Collection<String>> tickerAssignments) {
        return core.connectAll(tickerAssignments);
    }

    /**
     * The seed's blocking {@code connect_all}: {@link #connectAll(Map)} and then waits until every
     * connection is connected with all its tickers acknowledged.
     *
     * @param tickerAssignments connection id to its tickers
     * @param timeout how long to wait
     * @return {@code true} when everything was assigned and subscribed in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean connectAll(
            Map<String, ? extends Collection<String>> tickerAssignments, Duration timeout)
            throws InterruptedException {
        boolean assigned = core.connectAll(tickerAssignments);
        return core.awaitSubscribed(timeout) && assigned;
    }

    /** Starts every connection that has not started. Idempotent. */
    public void start() {
        core.start();
    }

    /**
     * Waits until every connection that is not failed or closed is connected, the server has
     * acknowledged all its tickers, and every unsubscribe sent has been acknowledged too: the
     * server's state matches the desired state.
     *
     * @param timeout how long to wait
     * @return whether that state was reached in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        return core.awaitSubscribed(timeout);
    }

    /**
     * Asks the routing strategy for a full plan and moves tickers to match it.
     *
     * @return what moved
     */
    public RebalanceResult rebalanceConnections() {
        return core.rebalance("rebalance requested");
    }

    /**
     * The health of every connection: the seed's {@code get_health_status()}.
     *
     * @return a snapshot
     */
    public HealthStatus healthStatus() {
        HealthStatus h = core.health();
        return backfill == null ? h : h.withBackfill(backfill.health());
    }

    /**
     * Adds a note that health shows (for example a configuration fallback or an idle connection).
     *
     * @param note the note, in words a person on call can act on
     */
    public void addNote(String note) {
        core.addNote(note);
    }

    /**
     * Sets the note health shows for one source (a universe source, a sink), replacing its previous
     * note, so a recurring problem shows once and goes away when it clears.
     *
     * @param key the note's source, e.g. {@code universe:jdbc}
     * @param note the note, or {@code null} to remove it
     */
    public void putNote(String key, String note) {
        core.putNote(key, note);
    }

    /**
     * Adds a status listener besides the one given to the builder (for example the health page's).
     * It receives status events from now on, on the {@code tickmux-status} thread.
     *
     * @param listener the listener
     */
    public void addStatusListener(StatusListener listener) {
        core.addStatusListener(listener);
    }

    /**
     * Removes a listener added with {@link #addStatusListener}.
     *
     * @param listener the listener
     */
    public void removeStatusListener(StatusListener listener) {
        core.removeStatusListener(listener);
    }

    /**
     * Event lag percentiles of a connection: receive time minus the exchange timestamp, sampled
     * once per frame. Includes clock skew between the exchange and this machine.
     *
     * @param connectionId the connection
     * @return {p50, p99, max} in milliseconds, or empty when unknown or nothing measured yet
     */
    public Optional<double[]> lagMillis(String connectionId) {
        return core.lag(connectionId);
    }

    /**
     * The registry the manager's meters are in.
     *
     * @return never {@code null}
     */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /**
     * The most sockets held at once since start. Never above {@code tickmux.core.max-connections},
     * reconnects included.
     *
     * @return the high-water mark
     */
    public int maxConcurrentSockets() {
        return core.maxSocketsSeen();
    }

    /** The implementation, for tests in this package (the invariant checker reads its snapshot). */
    ManagerCore core() {
        return core;
    }

    /** Closes every connection and stops the manager's threads. Idempotent. */
    @Override
    public void close() {
        if (backfill != null) {
            backfill.close();
        }
        core.close();
    }

    /** Builds a {@link MultiConnectionManager}. Not thread-safe. */
    public static final class Builder {
        private CoreSettings settings;
        private TransportFactory transport;
        private Config config;
        private RoutingStrategy router;
        private RoutingStrategyFactory routerFactory;
        private Config routerSettings = ConfigFactory.empty();
        private TickListener tickListener = e -> {};
        private StatusListener statusListener = e -> {};
        private Function<String, TickerView> metadata = s -> null;
        private MeterRegistry registry;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private BackfillHook backfill;
        private final List<ConnectionDefinition> connections = new ArrayList<>();
        private final List<EventSink> sinks = new ArrayList<>();

        private Builder() {}

        /**
         * @param settings core settings; default {@link CoreSettings#defaults()}
         * @return this
         */
        public Builder settings(CoreSettings settings) {
            this.settings = requireNonNull(settings, "settings is null");
            return this;
        }

        /**
         * @param transport makes the transport connections are opened with; required. The manager
         *     creates the transport when it is built and closes it after its connections.
         * @return this
         */
        public Builder transport(TransportFactory transport) {
            this.transport = requireNonNull(transport, "transport is null");
            return this;
        }

        /**
         * @param root the whole configuration the transport reads its settings from ({@code
         *     tickmux.transport.<name>}); default {@code ConfigFactory.load()}
         * @return this
         */
        public Builder config(Config root) {
            this.config = requireNonNull(root, "root is null");
            return this;
        }

        /**
         * @param router the routing strategy; default the manual strategy with no rules
         * @return this
         */
        public Builder routing(RoutingStrategy router) {
            this.router = requireNonNull(router, "router is null");
            this.routerFactory = null;
            return this;
        }

        /**
         * A routing strategy made by a factory, with the manager as its {@link RoutingContext}.
         *
         * @param factory the factory
         * @param routerSettings the router's settings subtree
         * @return this
         */
        public Builder routing(RoutingStrategyFactory factory, Config routerSettings) {
            this.routerFactory = requireNonNull(factory, "factory is null");
            this.routerSettings = requireNonNull(routerSettings, "routerSettings is null");
            this.router = null;
            return this;
        }

        /**
         * The routing strategy configuration names: {@code tickmux.routing.strategy}, found in the
         * catalogue, created with its subtree {@code tickmux.routing.<name>}.
         *
         * @param catalogue the plugins on the classpath
         * @param root the whole configuration
         * @return this
         * @throws IllegalArgumentException when no router has that name, listing the known ones
         */
        public Builder routing(Catalogue catalogue, Config root) {
            String name = root.getString("tickmux.routing.strategy");
            return routing(catalogue.router(name), Catalogue.routerSettings(root, name));
        }

        /**
         * @param listener receives every market event; default ignores them
         * @return this
         */
        public Builder tickListener(TickListener listener) {
            this.tickListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param listener receives status events; default ignores them
         * @return this
         */
        public Builder statusListener(StatusListener listener) {
            this.statusListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @param metadata ticker metadata (tier, sector, tags) by symbol, or {@code null} when
         *     unknown; called on subscribe
         * @return this
         */
        public Builder tickerMetadata(Function<String, TickerView> metadata) {
            this.metadata = requireNonNull(metadata, "metadata is null");
            return this;
        }

        /**
         * @param registry where meters go; default a new {@link SimpleMeterRegistry}
         * @return this
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = requireNonNull(registry, "registry is null");
            return this;
        }

        /**
         * @param clock wall-clock time for ages and status events; default UTC system clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * @param random uniform numbers in [0, 1) for backoff jitter; for repeatable tests
         * @return this
         */
        public Builder random(DoubleSupplier random) {
            this.random = requireNonNull(random, "random is null");
            return this;
        }

        /**
         * @param hook fills gaps from another source (e.g. the REST API), on its own thread; what
         *     it recovers reaches {@link TickListener#onBackfill}, each event once
         * @return this
         */
        public Builder backfill(BackfillHook hook) {
            this.backfill = requireNonNull(hook, "hook is null");
            return this;
        }

        /**
         * Adds a sink: it receives every accepted market event, chunk by chunk, on the read threads
         * (see {@link EventSink}). Several may be added.
         *
         * @param sink the sink
         * @return this
         */
        public Builder sink(EventSink sink) {
            sinks.add(requireNonNull(sink, "sink is null"));
            return this;
        }

        /**
         * Adds a connection at build time.
         *
         * @param definition the connection
         * @return this
         */
        public Builder connection(ConnectionDefinition definition) {
            connections.add(requireNonNull(definition, "definition is null"));
            return this;
        }

        /**
         * Builds the manager and adds the connections given so far; nothing connects until {@link
         * MultiConnectionManager#start()} or {@link MultiConnectionManager#connectAll}.
         *
         * @return the manager
         * @throws IllegalStateException when no transport was given or more connections than {@code
         *     max-connections} were given
         * @throws io.tickmux.spi.config.TickmuxConfigException when the transport's settings are
         *     invalid (every problem listed)
         */
        public MultiConnectionManager build() {
            if (transport == null) {
                throw new IllegalStateException(
                        "no transport: call transport(...) with e.g. the Massive or mock"
                                + " transport factory");
            }
            if (settings == null) {
                settings = CoreSettings.defaults();
            }
            if (connections.size() > settings.maxConnections()) {
                throw new IllegalStateException(
                        connections.size()
                                + " connections defined but tickmux.core.max-connections is "
                                + settings.maxConnections()
                                + ": raise it or define fewer");
            }
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            if (config == null) {
                config = ConfigFactory.load();
            }
            if (router == null && routerFactory == null) {
                router = new ManualRoutingStrategy(Map.of());
            }
            if (routerFactory != null) {
                CoreSettings s = settings;
                Clock c = clock;
                Function<String, TickerView> md = metadata;
                router =
                        routerFactory.create(
                                routerSettings,
                                new RoutingContext() {
                                    @Override
                                    public Clock clock() {
                                        return c;
                                    }

                                    @Override
                                    public int maxConnections() {
                                        return s.maxConnections();
                                    }

                                    @Override
                                    public Optional<TickerView> ticker(String symbol) {
                                        return Optional.ofNullable(md.apply(symbol));
                                    }
                                });
            }
            MultiConnectionManager m = new MultiConnectionManager(this);
            try {
                for (ConnectionDefinition d : connections) {
                    m.addConnection(
                            d.capacity() == Integer.MAX_VALUE
                                    ? d.withCapacity(settings.maxTickersPerConnection())
                                    : d);
                }
            } catch (RuntimeException e) {
                // a connection the transport refused (e.g. no API key): nothing half-built is
                // left running, neither the connections made so far nor the manager's threads
                try {
                    m.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return m;
        }
    }
}
