package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;
import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.DispatchMode;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.OverflowPolicy;
import io.tickmux.core.RebalanceResult;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.sink.EventSink;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The implementation behind {@link io.tickmux.core.MultiConnectionManager}: wiring of the parts and
 * short public operations.
 *
 * <p>The parts, each with its invariants in its class comment: {@link SubscriptionLedger} (per
 * connection: desired, sent, acked, pending, refused, retrying), {@link TickerBook} (ownership,
 * moves, redundancy), {@link Rehomer} (the one re-homing loop), {@link GapTracker}, {@link
 * ReconnectPolicy}, {@link SocketBudget}, {@link Lifecycle} (sockets and transport callbacks),
 * {@link Ingress} (the lock-free per-event path), {@link Sampler}, {@link ManagerMeters} and {@link
 * HealthReport}. {@link Invariants} checks them all on a {@link #snapshot()}.
 *
 * <p><b>Threading.</b> Control state is guarded by one monitor, {@code ManagerState.lock}, taken by
 * the public operations, by transport callbacks other than events, and by the scheduler thread.
 * Every operation flushes (sends each changed ledger's difference) before it releases the lock. The
 * per-event path takes no lock. User code never runs under the lock: status events go through the
 * {@code tickmux-status} thread; transports are closed after the lock is released.
 *
 * <p><b>The transport.</b> Made from its factory when the manager is built (connections may be
 * added before {@link #start()}, and each needs its transport connection), with a {@link
 * TransportContext} of the manager's configuration, clock, {@code tickmux-scheduler} and meter
 * registry; closed after the connections on {@link #close()}, before the scheduler stops.
 */
public final class ManagerCore implements AutoCloseable {

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.:/^$_*-]+");

    private final ManagerState m;
    private final Transport transport;
    private final Dispatcher dispatcher;
    private final ListenerInvoker invoker;
    private final Ingress ingress;
    private final GapTracker gaps;
    private final SocketBudget budget;
    private final TickerBook book;
    private final Rehomer rehomer;
    private final Rebalancer rebalancer;
    private final Subscriptions subscriptions;
    private final Lifecycle lifecycle;
    private final Sampler sampler;
    private final ManagerMeters meters;
    private final HealthReport health;

    /**
     * @param settings core settings
     * @param transport makes the transport that opens connections
     * @param config the whole configuration, for the transport
     * @param router places tickers
     * @param tickListener receives market events
     * @param statusListener receives status events
     * @param metadata ticker metadata by symbol (tier, sector, tags); returns {@code null} for
     *     unknown
     * @param registry where meters go
     * @param clock wall-clock time for ages and event times
     * @param random uniform [0,1) numbers for jitter
     */
    public ManagerCore(
            CoreSettings settings,
            TransportFactory transport,
            Config config,
            RoutingStrategy router,
            TickListener tickListener,
            StatusListener statusListener,
            Function<String, TickerView> metadata,
            MeterRegistry registry,
            Clock clock,
            DoubleSupplier random) {
        this(
                settings,
                transport,
                config,
                router,
                tickListener,
                statusListener,
                metadata,
                registry,
                clock,
                random,
                List.of());
    }

    /**
     * @param sinks receive every accepted event, chunk by chunk, on the read threads
     * @throws io.tickmux.spi.config.TickmuxConfigException when the transport's settings are
     *     invalid (nothing is left running)
     * @see #ManagerCore(CoreSettings, TransportFactory, Config, RoutingStrategy, TickListener,
     *     StatusListener, Function, MeterRegistry, Clock, DoubleSupplier)
     */
    public ManagerCore(
            CoreSettings settings,
            TransportFactory transport,
            Config config,
            RoutingStrategy router,
            TickListener tickListener,
            StatusListener statusListener,
            Function<String, TickerView> metadata,
            MeterRegistry registry,
            Clock clock,
            DoubleSupplier random,
            List<EventSink> sinks) {
        requireNonNull(settings, "settings is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(registry, "registry is null");
        // The scheduler starts its thread on the first task: made first, it is the transport's
        // too, and nothing runs yet if the transport's settings are refused.
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(
                        1,
                        Threads.named("tickmux-scheduler"),
                        (task, executor) ->
                                ManagerState.LOG.debug(
                                        "a timer set after the manager closed does not run"));
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            this.transport =
                    requireNonNull(transport, "transport is null")
                            .create(
                                    TransportContext.of(
                                            requireNonNull(config, "config is null"),
                                            clock,
                                            scheduler,
                                            registry));
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        this.invoker =
                new ListenerInvoker(
                        requireNonNull(tickListener, "tickListener is null"),
                        new RateLimitedLog(
                                ManagerState.LOG, clock, settings.listenerErrorLogInterval()));
        StatusPublisher status =
                new StatusPublisher(
                        settings.statusQueueCapacity(),
                        requireNonNull(statusListener, "statusListener is null"),
                        clock,
                        settings.listenerErrorLogInterval(),
                        Threads.named("tickmux-status"));
        this.m =
                new ManagerState(
                        settings,
                        clock,
                        requireNonNull(router, "router is null"),
                        status,
                        scheduler);
        this.dispatcher = newDispatcher(settings, invoker);
        this.ingress =
                new Ingress(
                        m.tickers,
                        dispatcher,
                        clock,
                        List.copyOf(sinks),
                        new RateLimitedLog(
                                ManagerState.LOG, clock, settings.listenerErrorLogInterval()),
                        new RateLimitedLog(
                                ManagerState.LOG, clock, settings.listenerErrorLogInterval()));
        this.gaps = new GapTracker(clock, m::publish);
        this.budget = new SocketBudget(settings.maxConnections());
        this.book = new TickerBook(m, gaps, ingress, dispatcher);
        this.rehomer = new Rehomer(m, book);
        Backoff backoff =
                new Backoff(
                        settings.reconnectInitialDelay(),
                        settings.reconnectMaxDelay(),
                        settings.reconnectMultiplier(),
                        settings.reconnectJitter(),
                        random);
        this.lifecycle =
                new Lifecycle(
                        m,
                        book,
                        rehomer,
                        gaps,
                        budget,
                        new ReconnectPolicy(settings, backoff, clock),
                        new RateLimitedLog(
                                ManagerState.LOG, clock, settings.listenerErrorLogInterval()));
        this.rebalancer = new Rebalancer(m, book, lifecycle);
        this.subscriptions =
                new Subscriptions(m, book, requireNonNull(metadata, "metadata is null"));
        this.sampler = new Sampler(m, this::rebalance);
        this.meters = new ManagerMeters(registry);
        this.health = new HealthReport(m, ingress, dispatcher, invoker, gaps, sampler);
        long sample = settings.rateSampleInterval().toNanos();
        scheduler.scheduleAtFixedRate(sampler::sampleRates, sample, sample, TimeUnit.NANOSECONDS);
        long check = settings.healthCheckInterval().toNanos();
        scheduler.scheduleAtFixedRate(sampler::healthCheck, check, check, TimeUnit.NANOSECONDS);
        meters.registerGlobal(
                m, ingress, dispatcher, invoker, gaps, sampler, kebab(settings.overflowPolicy()));
    }

    private static Dispatcher newDispatcher(CoreSettings s, ListenerInvoker invoker) {
        if (s.dispatchMode() == DispatchMode.DIRECT) {
            return new DirectDispatcher(invoker);
        }
        ThreadFactory threads = Threads.named("tickmux-dispatch");
        return s.overflowPolicy() == OverflowPolicy.CONFLATE
                ? new ConflatingDispatcher(s.queueCapacity(), invoker, threads)
                : new QueuedDispatcher(s.queueCapacity(), s.overflowPolicy(), invoker, threads);
    }

    // ---------------------------------------------------------------- connections

    /**
     * @see io.tickmux.core.MultiConnectionManager#addConnection(ConnectionDefinition)
     */
    public boolean addConnection(ConnectionDefinition definition) {
        requireNonNull(definition, "definition is null");
        ConnectionDefinition def =
                definition.capacity() == Integer.MAX_VALUE
                        ? definition.withCapacity(m.settings.maxTickersPerConnection())
                        : definition;
        synchronized (m.lock) {
            checkOpen();
            if (m.connections.containsKey(def.id())) {
                ManagerState.LOG.warn(
                        "connection {} not added: a connection with that id exists", def.id());
                return false;
            }
            if (m.connections.size() >= m.settings.maxConnections()) {
                ManagerState.LOG.warn(
                        "connection {} not added: {} connections already, the maximum"
                                + " (tickmux.core.max-connections); raise it if the account"
                                + " allows more",
                        def.id(),
                        m.connections.size());
                return false;
            }
            ManagedConnection c = new ManagedConnection(def, lifecycle, ingress, m.halfLifeNanos);
            c.transport =
                    transport.create(
                            new ConnectionSpec(def.id(), def.name(), def.transportSettings()), c);
            m.connections.put(def.id(), c);
            meters.register(c, m.clock);
            ManagerState.LOG.info("connection {} ({}) added", def.id(), def.name());
            if (m.started) {
                lifecycle.connectNow(c);
            }
            lifecycle.flush();
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#removeConnection(String)
     */
    public boolean removeConnection(String id) {
        ManagedConnection c;
        synchronized (m.lock) {
            checkOpen();
            c = m.connections.remove(id);
            if (c == null) {
                return false;
            }
            if (c.socketHeld) {
                m.retiring.add(c);
            }
            List<TickerEntry> orphans = book.connectionRemoved(c, id + " removed");
            lifecycle.stop(c, "removed by the application");
            meters.remove(c);
            Rehomer.Result r =
                    rehomer.place(orphans, ManagedConnection::hasRoom, false, "connection removed");
            for (TickerEntry e : r.unplaced()) {
                book.remove(e);
                m.publish(
                        new StatusEvent.SubscriptionRefused(
                                e.symbol,
                                id,
                                "its connection was removed and "
                                        + m.router.explainRefusal(e.view, m.views()),
                                m.now()));
            }
            ManagerState.LOG.info(
                    "connection {} removed; {} tickers re-homed, {} refused",
                    id,
                    r.count(),
                    r.unplaced().size());
            lifecycle.flush();
        }
        c.transport.close();
        return true;
    }

    // ---------------------------------------------------------------- tickers

    /**
     * @see io.tickmux.core.MultiConnectionManager#subscribeTicker(String, String)
     */
    public boolean subscribe(String symbol, String connectionId) {
        checkSymbol(symbol);
        synchronized (m.lock) {
            checkOpen();
            try {
                return connectionId == null
                        ? subscriptions.routed(symbol)
                        : subscriptions.on(symbol, connectionId);
            } finally {
                lifecycle.flush();
            }
        }
    }

    /**
     * Subscribes many tickers under one lock and one flush: each connection sends its new tickers
     * as one subscription (chunked by the transport), not one message per ticker.
     *
     * @param symbols the tickers
     * @param connectionId the target connection, or {@code null} for the router's choice
     * @return the tickers that could not be subscribed (each refusal has a status event)
     */
    public List<String> subscribeAll(Collection<String> symbols, String connectionId) {
        for (String s : symbols) {
            checkSymbol(s);
        }
        List<String> refused = new ArrayList<>();
        synchronized (m.lock) {
            checkOpen();
            for (String s : symbols) {
                boolean ok =
                        connectionId == null
                                ? subscriptions.routed(s)
                                : subscriptions.on(s, connectionId);
                if (!ok) {
                    refused.add(s);
                }
            }
            lifecycle.flush();
        }
        return refused;
    }

    /**
     * Unsubscribes many tickers under one lock and one flush (one unsubscribe message per
     * connection, chunked by the transport).
     *
     * @param symbols the tickers
     * @return how many were subscribed
     */
    public int unsubscribeAll(Collection<String> symbols) {
        int n = 0;
        synchronized (m.lock) {
            checkOpen();
            for (String s : symbols) {
                TickerEntry e = book.get(s);
                if (e != null) {
                    book.remove(e);
                    n++;
                }
            }
            lifecycle.flush();
        }
        return n;
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#unsubscribeTicker(String)
     */
    public boolean unsubscribe(String symbol) {
        synchronized (m.lock) {
            checkOpen();
            TickerEntry e = book.get(symbol);
            if (e == null) {
                return false;
            }
            book.remove(e);
            lifecycle.flush();
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#setCritical(String, boolean)
     */
    public boolean setCritical(String symbol, boolean critical) {
        synchronized (m.lock) {
            checkOpen();
            TickerEntry e = book.get(symbol);
            if (e == null) {
                return false;
            }
            boolean had = e.secondary != null;
            book.setCritical(e, critical);
            lifecycle.flush();
            return !critical || had || e.secondary != null;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#connectionForTicker(String)
     */
    public Optional<String> connectionFor(String symbol) {
        TickerEntry e = m.tickers.get(symbol);
        return e == null ? Optional.empty() : Optional.of(e.owner.id);
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#tickersOf(String)
     */
    public Optional<List<String>> tickersOf(String connectionId) {
        synchronized (m.lock) {
            ManagedConnection c = m.connections.get(connectionId);
            return c == null ? Optional.empty() : Optional.of(HealthReport.owned(m, c));
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#connectAll(Map)
     */
    public boolean connectAll(Map<String, ? extends Collection<String>> assignments) {
        synchronized (m.lock) {
            checkOpen();
            boolean ok = true;
            for (Map.Entry<String, ? extends Collection<String>> a : assignments.entrySet()) {
                if (!m.connections.containsKey(a.getKey())) {
                    ManagerState.LOG.warn(
                            "connect_all: assignment names unknown connection '{}' (known: {});"
                                    + " its {} tickers are not subscribed",
                            a.getKey(),
                            m.connections.keySet(),
                            a.getValue().size());
                    ok = false;
                    continue;
                }
                for (String sym : a.getValue()) {
                    ok &= subscribe(sym, a.getKey());
                }
            }
            start();
            return ok;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#start()
     */
    public void start() {
        synchronized (m.lock) {
            checkOpen();
            m.started = true;
            for (ManagedConnection c : m.connections.values()) {
                if (c.state == ConnectionState.NEW) {
                    lifecycle.connectNow(c);
                }
            }
            lifecycle.flush();
        }
    }

    /**
     * Waits until every connection that is neither terminal nor in an eviction cooldown without
     * tickers is connected and settled: each desired ticker acknowledged or refused, nothing
     * pending.
     *
     * @see io.tickmux.core.MultiConnectionManager#awaitSubscribed(Duration)
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (m.lock) {
            while (true) {
                if (allSettled()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || m.closed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(m.lock, left);
            }
        }
    }

    private boolean allSettled() {
        for (ManagedConnection c : m.connections.values()) {
            if (c.state.isTerminal()
                    || (c.state == ConnectionState.COOLDOWN && c.ledger.size() == 0)) {
                continue;
            }
            if (c.state != ConnectionState.CONNECTED || !c.ledger.settled()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#rebalance()
     */
    public RebalanceResult rebalance(String cause) {
        synchronized (m.lock) {
            checkOpen();
            return rebalancer.run(cause);
        }
    }

    // ---------------------------------------------------------------- observation

    /**
     * @see io.tickmux.core.MultiConnectionManager#healthStatus()
     */
    public HealthStatus health() {
        return health.build();
    }

    /**
     * @param note a note health shows
     */
    public void addNote(String note) {
        m.notes.add(requireNonNull(note, "note is null"));
    }

    /**
     * @param key the note's source, e.g. {@code universe:jdbc}
     * @param note the note health shows for it, replacing the previous one; {@code null} removes it
     */
    public void putNote(String key, String note) {
        requireNonNull(key, "key is null");
        if (note == null) {
            m.keyedNotes.remove(key);
        } else {
            m.keyedNotes.put(key, note);
        }
    }

    /**
     * Publishes a status event to the status listeners, in order with the manager's own (for a part
     * of the manager that lives outside this class, e.g. the backfill's outcomes).
     *
     * @param event the event
     */
    public void publish(StatusEvent event) {
        m.publish(requireNonNull(event, "event is null"));
    }

    /**
     * @param listener receives status events from now on
     */
    public void addStatusListener(StatusListener listener) {
        m.status.addListener(requireNonNull(listener, "listener is null"));
    }

    /**
     * @param listener a listener added with {@link #addStatusListener}
     */
    public void removeStatusListener(StatusListener listener) {
        m.status.removeListener(listener);
    }

    /**
     * Event lag (receive time minus event time, sampled once per millisecond) percentiles of a
     * connection.
     *
     * @param id connection id
     * @return p50, p99 and max in milliseconds, or empty when unknown or nothing measured
     */
    public Optional<double[]> lag(String id) {
        return health.lag(id);
    }

    /**
     * The most sockets held at once since start; never above {@code max-connections}.
     *
     * @return the high-water mark
     */
    public int maxSocketsSeen() {
        synchronized (m.lock) {
            return budget.maxSeen();
        }
    }

    /**
     * A consistent copy of the control state, for tests and the invariant checker ({@link
     * Invariants}).
     *
     * @return the snapshot
     */
    public ManagerSnapshot snapshot() {
        return health.snapshot(budget);
    }

    @Override
    public void close() {
        List<ManagedConnection> all;
        synchronized (m.lock) {
            if (m.closed) {
                return;
            }
            m.closed = true;
            all = new ArrayList<>(m.connections.values());
            for (ManagedConnection c : all) {
                lifecycle.stop(c, "manager closed");
                meters.remove(c);
            }
            m.lock.notifyAll();
        }
        for (ManagedConnection c : all) {
            c.transport.close();
        }
        try {
            transport.close();
        } catch (RuntimeException e) {
            ManagerState.LOG.warn("closing the transport failed; continuing", e);
        }
        m.scheduler.shutdownNow();
        dispatcher.close();
        m.status.close();
        meters.removeGlobal();
        ManagerState.LOG.info("manager closed");
    }

    // ---------------------------------------------------------------- helpers

    private void checkOpen() {
        if (m.closed) {
            throw new IllegalStateException("the manager is closed");
        }
    }

    private static void checkSymbol(String symbol) {
        requireNonNull(symbol, "symbol is null");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException(
                    "invalid ticker symbol '"
                            + symbol
                            + "': use the feed's spelling, letters, digits and '.' (e.g. AAPL,"
                            + " BRK.A); no spaces or commas");
        }
    }
}
