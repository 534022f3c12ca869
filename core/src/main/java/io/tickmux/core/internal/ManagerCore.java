package io.tickmux.core.internal;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.DispatchMode;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.Move;
import io.tickmux.core.OverflowPolicy;
import io.tickmux.core.RebalanceResult;
import io.tickmux.core.StatusListener;
import io.tickmux.core.TickListener;
import io.tickmux.core.event.MarketEvent;
import io.tickmux.core.event.StatusEvent;
import io.tickmux.core.transport.ConnectionSpec;
import io.tickmux.core.transport.DisconnectReason;
import io.tickmux.core.transport.TransportConnection;
import io.tickmux.core.transport.TransportFactory;
import io.tickmux.core.transport.TransportListener;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implementation behind {@link io.tickmux.core.MultiConnectionManager}.
 *
 * <p><b>Threading.</b> Control state (connections, desired/sent/acked sets, states) is guarded by
 * one monitor, {@code lock}; it is taken by the public API, by transport callbacks other than
 * {@code onEvents}, and by the scheduler thread ({@code tickmux-scheduler}). The per-event path
 * ({@code onEvents}) takes no lock: it reads the ticker map (a concurrent map), bumps counters and
 * hands the event to the dispatcher. User code never runs under the lock: status events go through
 * the {@code tickmux-status} thread.
 */
public final class ManagerCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.tickmux.core.Manager");
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.:/^$_*-]+");

    private final Object lock = new Object();
    private final CoreSettings settings;
    private final TransportFactory transport;
    private final RoutingStrategy router;
    private final Function<String, TickerView> metadata;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final Dispatcher dispatcher;
    private final ListenerInvoker invoker;
    private final StatusPublisher status;
    private final RateLimitedLog transportErrorLog;
    private final double halfLifeNanos;

    private final LinkedHashMap<String, Conn> connections = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, TickerEntry> tickers = new ConcurrentHashMap<>();
    private final LongAdder totalTicks = new LongAdder();
    private final List<Meter> globalMeters = new ArrayList<>();
    private final AtomicLong gaps = new AtomicLong();
    private volatile int staleTickers;
    private final java.util.ArrayDeque<Long> evictionTimes = new java.util.ArrayDeque<>();
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong autoRebalances = new AtomicLong();
    private final AtomicLong autoMoves = new AtomicLong();
    private volatile double lastImbalance;
    private int socketsHeld;
    private int maxSocketsSeen;
    private boolean started;
    private boolean closed;

    /**
     * @param settings core settings
     * @param transport opens connections
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
            RoutingStrategy router,
            TickListener tickListener,
            StatusListener statusListener,
            Function<String, TickerView> metadata,
            MeterRegistry registry,
            Clock clock,
            DoubleSupplier random) {
        this.settings = requireNonNull(settings, "settings is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.router = requireNonNull(router, "router is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.backoff =
                new Backoff(
                        settings.reconnectInitialDelay(),
                        settings.reconnectMaxDelay(),
                        settings.reconnectMultiplier(),
                        settings.reconnectJitter(),
                        random);
        this.halfLifeNanos = settings.rateHalfLife().toNanos();
        this.invoker =
                new ListenerInvoker(
                        requireNonNull(tickListener, "tickListener is null"),
                        new RateLimitedLog(LOG, clock, settings.listenerErrorLogInterval()));
        this.transportErrorLog =
                new RateLimitedLog(LOG, clock, settings.listenerErrorLogInterval());
        this.status =
                new StatusPublisher(
                        settings.statusQueueCapacity(),
                        requireNonNull(statusListener, "statusListener is null"),
                        clock,
                        settings.listenerErrorLogInterval(),
                        new NamedThreadFactory("tickmux-status"));
        this.dispatcher = newDispatcher(settings, invoker);
        ScheduledThreadPoolExecutor s =
                new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("tickmux-scheduler"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        long sampleNanos = settings.rateSampleInterval().toNanos();
        scheduler.scheduleAtFixedRate(
                this::sampleRates, sampleNanos, sampleNanos, TimeUnit.NANOSECONDS);
        long healthNanos = settings.healthCheckInterval().toNanos();
        scheduler.scheduleAtFixedRate(
                this::healthCheck, healthNanos, healthNanos, TimeUnit.NANOSECONDS);
        registerGlobalMeters();
    }

    private static Dispatcher newDispatcher(CoreSettings s, ListenerInvoker invoker) {
        if (s.dispatchMode() == DispatchMode.DIRECT) {
            return new DirectDispatcher(invoker);
        }
        NamedThreadFactory threads = new NamedThreadFactory("tickmux-dispatch");
        return s.overflowPolicy() == OverflowPolicy.CONFLATE
                ? new ConflatingDispatcher(s.queueCapacity(), invoker, threads)
                : new QueuedDispatcher(s.queueCapacity(), s.overflowPolicy(), invoker, threads);
    }

    // ---------------------------------------------------------------- public operations

    /**
     * @see io.tickmux.core.MultiConnectionManager#addConnection(ConnectionDefinition)
     */
    public boolean addConnection(ConnectionDefinition definition) {
        requireNonNull(definition, "definition is null");
        ConnectionDefinition def =
                definition.capacity() == Integer.MAX_VALUE
                        ? definition.withCapacity(settings.maxTickersPerConnection())
                        : definition;
        synchronized (lock) {
            checkOpen();
            if (connections.containsKey(def.id())) {
                LOG.warn("connection {} not added: a connection with that id exists", def.id());
                return false;
            }
            if (connections.size() >= settings.maxConnections()) {
                LOG.warn(
                        "connection {} not added: {} connections already, the maximum"
                                + " (tickmux.core.max-connections); raise it if the account"
                                + " allows more",
                        def.id(),
                        connections.size());
                return false;
            }
            Conn c = new Conn(def);
            c.transport =
                    transport.create(
                            new ConnectionSpec(def.id(), def.name(), def.transportSettings()), c);
            connections.put(def.id(), c);
            c.registerMeters();
            LOG.info("connection {} ({}) added", def.id(), def.name());
            if (started) {
                c.connectNow();
            }
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#removeConnection(String)
     */
    public boolean removeConnection(String id) {
        synchronized (lock) {
            checkOpen();
            Conn c = connections.remove(id);
            if (c == null) {
                return false;
            }
            List<String> orphans = new ArrayList<>(c.desired);
            long now = clock.millis();
            for (String sym : c.acked) {
                TickerEntry e = tickers.get(sym);
                if (e != null && e.gapStartMillis < 0) {
                    e.gapStartMillis = now;
                    e.gapConnection = id;
                    e.gapCause = id + " removed";
                }
            }
            for (TickerEntry e : tickers.values()) {
                if (e.home == c) {
                    e.home = null;
                }
                if (e.secondary == c) {
                    e.secondary = null;
                    e.dedup = null;
                    orphans.remove(e.view.symbol());
                }
            }
            c.shutdown("removed by the application");
            c.removeMeters();
            Map<String, List<String>> movedTo = new LinkedHashMap<>();
            for (String sym : orphans) {
                TickerEntry e = tickers.get(sym);
                if (e.secondary != null) {
                    // A critical ticker: its second copy carries on; find it a new second.
                    e.owner = e.secondary;
                    e.secondary = null;
                    addSecondary(e, sym);
                    continue;
                }
                Optional<Conn> target = selectFor(e.view);
                if (target.isEmpty()) {
                    tickers.remove(sym);
                    publish(
                            new StatusEvent.SubscriptionRefused(
                                    sym,
                                    id,
                                    "its connection was removed and "
                                            + router.explainRefusal(e.view, views()),
                                    now()));
                    continue;
                }
                Conn t = target.get();
                e.owner = t;
                t.desired.add(sym);
                movedTo.computeIfAbsent(t.def.id(), k -> new ArrayList<>()).add(sym);
            }
            for (Map.Entry<String, List<String>> m : movedTo.entrySet()) {
                connections.get(m.getKey()).reconcile();
                publish(
                        new StatusEvent.TickersMoved(
                                id, m.getKey(), m.getValue(), "connection removed", now()));
            }
            LOG.info(
                    "connection {} removed; {} tickers re-homed on {}",
                    id,
                    orphans.size(),
                    movedTo.keySet());
            lock.notifyAll();
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#subscribeTicker(String, String)
     */
    public boolean subscribe(String symbol, String connectionId) {
        checkSymbol(symbol);
        synchronized (lock) {
            checkOpen();
            TickerEntry existing = tickers.get(symbol);
            if (connectionId == null) {
                if (existing != null) {
                    return true;
                }
                TickerView view = viewOf(symbol);
                Optional<Conn> target = selectFor(view);
                if (target.isEmpty()) {
                    refuse(symbol, "", router.explainRefusal(view, views()));
                    return false;
                }
                assign(new TickerEntry(view, target.get(), halfLifeNanos), target.get());
                return true;
            }
            Conn target = connections.get(connectionId);
            if (target == null) {
                refuse(
                        symbol,
                        connectionId,
                        "unknown connection '"
                                + connectionId
                                + "': known are "
                                + connections.keySet());
                return false;
            }
            if (existing != null && existing.owner == target) {
                return true;
            }
            if (!target.state.isRoutable()) {
                refuse(symbol, connectionId, "connection is " + kebab(target.state));
                return false;
            }
            if (target.desired.size() >= target.def.capacity()) {
                refuse(
                        symbol,
                        connectionId,
                        "connection is full ("
                                + target.def.capacity()
                                + " tickers): raise its capacity or pick another");
                return false;
            }
            if (existing != null) {
                Conn from = existing.owner;
                relocate(existing, symbol, target);
                from.reconcile();
                target.reconcile();
                publish(
                        new StatusEvent.TickersMoved(
                                from.def.id(),
                                target.def.id(),
                                List.of(symbol),
                                "moved by the application",
                                now()));
                return true;
            }
            assign(new TickerEntry(viewOf(symbol), target, halfLifeNanos), target);
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#unsubscribeTicker(String)
     */
    public boolean unsubscribe(String symbol) {
        synchronized (lock) {
            checkOpen();
            TickerEntry e = tickers.remove(symbol);
            if (e == null) {
                return false;
            }
            closeGap(e, symbol, "unsubscribed");
            if (e.secondary != null) {
                e.secondary.desired.remove(symbol);
                e.secondary.reconcile();
                e.secondary = null;
            }
            Conn c = e.owner;
            c.desired.remove(symbol);
            c.reconcile();
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#setCritical(String, boolean)
     */
    public boolean setCritical(String symbol, boolean critical) {
        synchronized (lock) {
            checkOpen();
            TickerEntry e = tickers.get(symbol);
            if (e == null) {
                return false;
            }
            if (critical && e.secondary == null) {
                addSecondary(e, symbol);
                return e.secondary != null;
            }
            if (!critical && e.secondary != null) {
                Conn second = e.secondary;
                e.secondary = null;
                second.desired.remove(symbol);
                second.reconcile();
                releaseDedupLater(e);
            }
            return true;
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#connectionForTicker(String)
     */
    public Optional<String> connectionFor(String symbol) {
        TickerEntry e = tickers.get(symbol);
        return e == null ? Optional.empty() : Optional.of(e.owner.def.id());
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#tickersOf(String)
     */
    public Optional<List<String>> tickersOf(String connectionId) {
        synchronized (lock) {
            Conn c = connections.get(connectionId);
            if (c == null) {
                return Optional.empty();
            }
            List<String> owned = new ArrayList<>(c.desired.size());
            for (String sym : c.desired) {
                TickerEntry e = tickers.get(sym);
                if (e != null && e.owner == c) {
                    owned.add(sym);
                }
            }
            return Optional.of(owned);
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#connectAll(Map)
     */
    public boolean connectAll(Map<String, ? extends Collection<String>> assignments) {
        synchronized (lock) {
            checkOpen();
            boolean ok = true;
            for (Map.Entry<String, ? extends Collection<String>> a : assignments.entrySet()) {
                if (!connections.containsKey(a.getKey())) {
                    LOG.warn(
                            "connect_all: assignment names unknown connection '{}' (known: {});"
                                    + " its {} tickers are not subscribed",
                            a.getKey(),
                            connections.keySet(),
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
        synchronized (lock) {
            checkOpen();
            started = true;
            for (Conn c : connections.values()) {
                if (c.state == ConnectionState.NEW) {
                    c.connectNow();
                }
            }
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#awaitSubscribed(Duration)
     */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (allSubscribed()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private boolean allSubscribed() {
        for (Conn c : connections.values()) {
            if (c.state.isTerminal()) {
                continue;
            }
            if (c.state != ConnectionState.CONNECTED
                    || !c.pending.isEmpty()
                    || !c.pendingUnsub.isEmpty()
                    || !c.acked.containsAll(c.desired)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#rebalance()
     */
    public RebalanceResult rebalance(String cause) {
        synchronized (lock) {
            checkOpen();
            Map<String, Integer> before = counts();
            Map<String, List<TickerView>> current = new LinkedHashMap<>();
            for (Conn c : connections.values()) {
                List<TickerView> views = new ArrayList<>(c.desired.size());
                for (String sym : c.desired) {
                    views.add(tickers.get(sym).view);
                }
                current.put(c.def.id(), views);
            }
            Map<String, Set<String>> plan = router.plan(current, views());
            List<Move> moves = new ArrayList<>();
            Map<String, Map<String, List<String>>> grouped = new LinkedHashMap<>();
            for (Map.Entry<String, Set<String>> p : plan.entrySet()) {
                Conn target = connections.get(p.getKey());
                if (target == null || !target.state.isRoutable()) {
                    LOG.error(
                            "router {} planned tickers onto '{}', which is unknown or not"
                                    + " routable; that part of the plan is ignored",
                            router.getClass().getName(),
                            p.getKey());
                    continue;
                }
                if (started && target.state != ConnectionState.CONNECTED) {
                    // Moving a live ticker onto a socket that is down would lose its data until
                    // the reconnect: only connected targets take moves.
                    LOG.info(
                            "rebalance: {} is {}; the tickers planned onto it stay where they are",
                            p.getKey(),
                            kebab(target.state));
                    continue;
                }
                for (String sym : p.getValue()) {
                    TickerEntry e = tickers.get(sym);
                    if (e == null || e.owner == target || e.secondary != null) {
                        continue; // critical tickers stay on their two connections
                    }
                    if (target.desired.size() >= target.def.capacity()) {
                        LOG.warn(
                                "rebalance: {} stays on {}: {} is full",
                                sym,
                                e.owner.def.id(),
                                target.def.id());
                        continue;
                    }
                    Conn from = e.owner;
                    relocate(e, sym, target);
                    moves.add(new Move(sym, from.def.id(), target.def.id()));
                    grouped.computeIfAbsent(from.def.id(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(target.def.id(), k -> new ArrayList<>())
                            .add(sym);
                }
            }
            for (Conn c : connections.values()) {
                c.reconcile();
            }
            for (Map.Entry<String, Map<String, List<String>>> g : grouped.entrySet()) {
                for (Map.Entry<String, List<String>> t : g.getValue().entrySet()) {
                    publish(
                            new StatusEvent.TickersMoved(
                                    g.getKey(), t.getKey(), t.getValue(), cause, now()));
                }
            }
            if (!moves.isEmpty()) {
                LOG.info("rebalance ({}): {} tickers moved; now {}", cause, moves.size(), counts());
            }
            return new RebalanceResult(moves, before, counts());
        }
    }

    /**
     * @see io.tickmux.core.MultiConnectionManager#healthStatus()
     */
    public HealthStatus health() {
        List<ConnectionHealth> list = new ArrayList<>();
        int connected = 0;
        long errors = 0;
        long nowMillis = clock.millis();
        synchronized (lock) {
            for (Conn c : connections.values()) {
                if (c.state == ConnectionState.CONNECTED) {
                    connected++;
                }
                long last = c.lastMessageMillis;
                long errs = c.errors.sum();
                errors += errs;
                list.add(
                        new ConnectionHealth(
                                c.def.id(),
                                c.def.name(),
                                c.state,
                                c.owned(),
                                c.acked.size(),
                                c.pending.size() + c.pendingUnsub.size(),
                                c.messages.sum(),
                                errs,
                                c.rate.perSecond(),
                                last < 0 ? -1 : Math.max(0, nowMillis - last),
                                c.reconnects.get(),
                                c.evictions.get(),
                                c.lastCause));
            }
        }
        long listenerErrors = invoker.errors() + status.errors();
        return new HealthStatus(
                List.copyOf(notes),
                list.size(),
                connected,
                tickers.size(),
                totalTicks.sum(),
                errors + listenerErrors,
                listenerErrors,
                dispatcher.dropped(),
                dispatcher.queueDepth(),
                gaps.get(),
                failovers.get(),
                staleTickers,
                list);
    }

    private final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param note a note health shows
     */
    public void addNote(String note) {
        notes.add(requireNonNull(note, "note is null"));
    }

    /**
     * @param listener receives status events from now on
     */
    public void addStatusListener(io.tickmux.core.StatusListener listener) {
        status.addListener(requireNonNull(listener, "listener is null"));
    }

    /**
     * @param listener a listener added with {@link #addStatusListener}
     */
    public void removeStatusListener(io.tickmux.core.StatusListener listener) {
        status.removeListener(listener);
    }

    /**
     * Event lag (receive time minus event time, sampled once per millisecond) percentiles of a
     * connection.
     *
     * @param id connection id
     * @return p50, p99 and max in milliseconds, or empty when unknown or nothing measured
     */
    public Optional<double[]> lag(String id) {
        Conn c;
        synchronized (lock) {
            c = connections.get(id);
        }
        if (c == null || c.lag == null || c.lag.count() == 0) {
            return Optional.empty();
        }
        io.micrometer.core.instrument.distribution.HistogramSnapshot snap = c.lag.takeSnapshot();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (io.micrometer.core.instrument.distribution.ValueAtPercentile v :
                snap.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value();
            } else if (v.percentile() == 0.99) {
                p99 = v.value();
            }
        }
        return Optional.of(new double[] {p50, p99, snap.max()});
    }

    /**
     * The most sockets held at once since start; never above {@code max-connections}.
     *
     * @return the high-water mark
     */
    public int maxSocketsSeen() {
        synchronized (lock) {
            return maxSocketsSeen;
        }
    }

    /**
     * A consistent copy of the control state, for tests and the invariant checker ({@link
     * Invariants}).
     *
     * @return the snapshot
     */
    public ManagerSnapshot snapshot() {
        synchronized (lock) {
            Map<String, ManagerSnapshot.Connection> cs = new LinkedHashMap<>();
            for (Conn c : connections.values()) {
                cs.put(
                        c.def.id(),
                        new ManagerSnapshot.Connection(
                                c.state,
                                c.socketHeld,
                                Set.copyOf(c.desired),
                                Set.copyOf(c.sent),
                                Set.copyOf(c.acked),
                                Set.copyOf(c.pending),
                                Set.copyOf(c.pendingUnsub),
                                Map.of(),
                                Set.of()));
            }
            Map<String, ManagerSnapshot.Ticker> ts = new LinkedHashMap<>();
            for (Map.Entry<String, TickerEntry> t : tickers.entrySet()) {
                TickerEntry e = t.getValue();
                ts.put(
                        t.getKey(),
                        new ManagerSnapshot.Ticker(
                                idOf(e.owner),
                                idOf(e.secondary),
                                idOf(e.moveFrom),
                                idOf(e.home),
                                e.secondary != null
                                        || settings.criticalTickers().contains(t.getKey()),
                                e.gapStartMillis >= 0));
            }
            return new ManagerSnapshot(cs, ts, socketsHeld, settings.maxConnections());
        }
    }

    private static String idOf(Conn c) {
        return c == null ? null : c.def.id();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Conn c : connections.values()) {
                c.shutdown("manager closed");
                c.removeMeters();
            }
            lock.notifyAll();
        }
        scheduler.shutdownNow();
        dispatcher.close();
        status.close();
        for (Meter m : globalMeters) {
            registry.remove(m);
        }
        LOG.info("manager closed");
    }

    // ---------------------------------------------------------------- internals

    private void checkOpen() {
        if (closed) {
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

    private TickerView viewOf(String symbol) {
        TickerView v = metadata.apply(symbol);
        return v != null && v.symbol().equals(symbol) ? v : TickerView.of(symbol);
    }

    private void assign(TickerEntry entry, Conn target) {
        entry.lastEventMillis = clock.millis();
        tickers.put(entry.view.symbol(), entry);
        target.desired.add(entry.view.symbol());
        target.reconcile();
        if (settings.criticalTickers().contains(entry.view.symbol())) {
            addSecondary(entry, entry.view.symbol());
        }
    }

    /**
     * Holds a critical ticker on a second connection, chosen by the router among the others; the
     * dedup filter stays on for it. Under the lock.
     */
    private void addSecondary(TickerEntry e, String sym) {
        List<ConnectionView> others = new ArrayList<>();
        for (Conn c : connections.values()) {
            if (c != e.owner) {
                others.add(view(c));
            }
        }
        Optional<String> id = router.select(e.view, others);
        Conn second = id.map(connections::get).orElse(null);
        if (second == null || second == e.owner || !second.state.isRoutable()) {
            LOG.warn(
                    "critical ticker {} is on {} only: no second connection can take it",
                    sym,
                    e.owner.def.id());
            return;
        }
        e.secondary = second;
        e.dedup = new Dedup(settings.dedupCapacity());
        second.desired.add(sym);
        second.reconcile();
    }

    private void moveTicker(TickerEntry e, String sym, Conn target) {
        e.owner.desired.remove(sym);
        target.desired.add(sym);
        e.owner = target;
        e.home = null;
    }

    /**
     * Moves a ticker. A live ticker (acknowledged on a connected socket) moving to a connected
     * socket moves make-before-break when configured: it is subscribed on the target, stays on the
     * source until the target acknowledges it, and a dedup filter delivers the first copy of each
     * event meanwhile. Anything else moves at once. Under the lock.
     */
    private void relocate(TickerEntry e, String sym, Conn target) {
        Conn from = e.owner;
        boolean live =
                settings.makeBeforeBreak()
                        && e.moveFrom == null
                        && from.state == ConnectionState.CONNECTED
                        && from.acked.contains(sym)
                        && target.state == ConnectionState.CONNECTED;
        if (!live) {
            if (e.moveFrom != null) {
                e.moveFrom.desired.remove(sym);
                e.moveFrom.reconcile();
                e.moveFrom = null;
            }
            moveTicker(e, sym, target);
            return;
        }
        e.dedup = new Dedup(settings.dedupCapacity());
        e.moveFrom = from;
        target.desired.add(sym);
        e.owner = target;
        e.home = null;
    }

    /** The target of a make-before-break move acknowledged: let go of the source. */
    private void completeMove(TickerEntry e, String sym) {
        Conn from = e.moveFrom;
        if (from == null) {
            return;
        }
        e.moveFrom = null;
        from.desired.remove(sym);
        from.reconcile();
        releaseDedupLater(e);
    }

    /**
     * Once a ticker is back on one socket, drops its dedup filter after the dedup window (the
     * copies still in flight on the socket it left) and resets its sequence marks, unless it went
     * onto two sockets again meanwhile. Under the lock.
     */
    private void releaseDedupLater(TickerEntry e) {
        Dedup d = e.dedup;
        scheduler.schedule(
                () -> {
                    synchronized (lock) {
                        if (e.dedup == d && e.moveFrom == null && e.secondary == null) {
                            e.dedup = null;
                            e.lastTradeSequence = -1;
                            e.lastQuoteSequence = -1;
                        }
                    }
                },
                settings.dedupWindow().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /**
     * Flags tickers silent much longer than their own rate predicts, during market hours; clears
     * the flag when events resume. Only tickers streaming on a connected socket count: a socket
     * that is down is reported by gaps instead.
     */
    private void checkStaleness() {
        if (!settings.stalenessEnabled()) {
            return;
        }
        Instant at = clock.instant();
        long now = at.toEpochMilli();
        boolean open = settings.marketHours().isOpen(at);
        long minSilence = settings.stalenessMinSilence().toMillis();
        int count = 0;
        synchronized (lock) {
            if (closed) {
                return;
            }
            for (Map.Entry<String, TickerEntry> t : tickers.entrySet()) {
                TickerEntry e = t.getValue();
                Conn o = e.owner;
                if (!open
                        || o.state != ConnectionState.CONNECTED
                        || !o.acked.contains(t.getKey())) {
                    e.stale = false;
                    continue;
                }
                double rate = e.activeRate;
                long expected = rate > 0 ? (long) (1000.0 / rate) : 0;
                long threshold =
                        Math.max(minSilence, (long) (settings.stalenessFactor() * expected));
                long silent = now - e.lastEventMillis;
                if (silent > threshold) {
                    count++;
                    if (!e.stale) {
                        e.stale = true;
                        publish(
                                new StatusEvent.Stale(
                                        t.getKey(),
                                        o.def.id(),
                                        Duration.ofMillis(silent),
                                        Duration.ofMillis(expected),
                                        at));
                    }
                } else {
                    e.stale = false;
                }
            }
        }
        staleTickers = count;
    }

    /**
     * Counts an eviction; true when {@code account-limit.evictions-to-shrink} happened within the
     * window and more than one connection is still running. Under the lock.
     */
    private boolean accountLimitReached() {
        int threshold = settings.evictionsToShrink();
        if (threshold == 0) {
            return false;
        }
        long now = clock.millis();
        evictionTimes.addLast(now);
        while (!evictionTimes.isEmpty()
                && evictionTimes.peekFirst() < now - settings.evictionWindow().toMillis()) {
            evictionTimes.removeFirst();
        }
        long running = connections.values().stream().filter(c -> !c.state.isTerminal()).count();
        return evictionTimes.size() >= threshold && running > 1;
    }

    /**
     * Parks an evicted connection for good: the account evidently allows fewer connections than are
     * configured. Its tickers go to the others; health notes it. Under the lock.
     */
    private void park(Conn c, String cause) {
        long left =
                connections.values().stream().filter(x -> x != c && !x.state.isTerminal()).count();
        String note =
                c.def.id()
                        + " parked: "
                        + evictionTimes.size()
                        + " max_connections evictions within "
                        + settings.evictionWindow()
                        + "; the account evidently allows "
                        + left
                        + " connection"
                        + (left == 1 ? "" : "s")
                        + ". Lower tickmux.core.max-connections or ask Massive to raise the limit";
        LOG.error(note);
        notes.add(note);
        evictionTimes.clear();
        c.setState(ConnectionState.CLOSED, "parked: " + cause);
        c.transport.close();
        failover(c, "account connection limit");
    }

    /**
     * Whether an event repeats one already delivered: Massive's sequence numbers increase per
     * ticker, so a trade or quote at or below the last one delivered is a repeat (a duplicated
     * batch). Sequences reset each session, so the marks reset when the ticker is re-acknowledged.
     */
    private static boolean repeated(TickerEntry t, MarketEvent e) {
        if (e instanceof io.tickmux.core.event.Trade tr && tr.sequence() >= 0) {
            if (tr.sequence() <= t.lastTradeSequence) {
                return true;
            }
            t.lastTradeSequence = tr.sequence();
        } else if (e instanceof io.tickmux.core.event.Quote q && q.sequence() >= 0) {
            if (q.sequence() <= t.lastQuoteSequence) {
                return true;
            }
            t.lastQuoteSequence = q.sequence();
        }
        return false;
    }

    /** Reports the span a ticker was uncovered, if it was. Under the lock. */
    private void closeGap(TickerEntry e, String symbol, String how) {
        if (e.gapStartMillis < 0) {
            return;
        }
        long now = clock.millis();
        StatusEvent.Gap gap =
                new StatusEvent.Gap(
                        symbol,
                        e.gapConnection,
                        Instant.ofEpochMilli(e.gapStartMillis),
                        Instant.ofEpochMilli(Math.max(now, e.gapStartMillis)),
                        e.gapCause + "; " + how,
                        now());
        e.gapStartMillis = -1;
        gaps.incrementAndGet();
        publish(gap);
    }

    /**
     * Re-homes a lost connection's tickers on the connections that are up, within capacity. Under
     * the lock. Tickers that fit nowhere stay and wait for the reconnect (their gaps are reported
     * when they are covered again).
     */
    private void failover(Conn dead, String cause) {
        List<ConnectionView> up = new ArrayList<>();
        for (Conn c : connections.values()) {
            if (c != dead && c.state == ConnectionState.CONNECTED) {
                up.add(view(c));
            }
        }
        if (dead.desired.isEmpty()) {
            return;
        }
        if (up.isEmpty()) {
            LOG.warn(
                    "{} is down and no other connection is up: its {} tickers wait for its"
                            + " reconnect; the uncovered span is reported as gaps",
                    dead.def.id(),
                    dead.desired.size());
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        up.forEach(v -> counts.put(v.id(), v.tickerCount()));
        Map<String, List<String>> movedTo = new LinkedHashMap<>();
        for (String sym : new ArrayList<>(dead.desired)) {
            TickerEntry e = tickers.get(sym);
            if (e == null || e.owner != dead || e.secondary != null) {
                continue; // moving away already, or critical (held on two connections)
            }
            List<ConnectionView> views = new ArrayList<>(up.size());
            for (ConnectionView v : up) {
                views.add(
                        new ConnectionView(
                                v.id(),
                                v.name(),
                                v.state(),
                                counts.get(v.id()),
                                v.capacity(),
                                v.tickerRates(),
                                v.tags()));
            }
            Optional<String> id = router.select(e.view, views);
            Conn target = id.map(connections::get).orElse(null);
            if (target == null
                    || target == dead
                    || target.state != ConnectionState.CONNECTED
                    || target.desired.size() >= target.def.capacity()) {
                continue;
            }
            Conn home = e.home != null ? e.home : dead;
            moveTicker(e, sym, target);
            e.home = home;
            counts.merge(target.def.id(), 1, Integer::sum);
            movedTo.computeIfAbsent(target.def.id(), k -> new ArrayList<>()).add(sym);
        }
        if (movedTo.isEmpty()) {
            LOG.warn(
                    "{} is down and the connections that are up are full: its tickers wait for"
                            + " its reconnect",
                    dead.def.id());
            return;
        }
        failovers.incrementAndGet();
        int n = 0;
        for (Map.Entry<String, List<String>> m : movedTo.entrySet()) {
            connections.get(m.getKey()).reconcile();
            n += m.getValue().size();
            publish(
                    new StatusEvent.TickersMoved(
                            dead.def.id(), m.getKey(), m.getValue(), "failover: " + cause, now()));
        }
        LOG.warn(
                "failover: {} is down ({}); {} tickers re-homed on {}; {} stay with it",
                dead.def.id(),
                cause,
                n,
                movedTo.keySet(),
                dead.desired.size());
    }

    /** Returns failed-over tickers to a connection that is connected again. Under the lock. */
    private void failBack(Conn back) {
        Map<String, List<String>> from = new LinkedHashMap<>();
        for (Map.Entry<String, TickerEntry> t : tickers.entrySet()) {
            TickerEntry e = t.getValue();
            if (e.home != back || e.owner == back) {
                continue;
            }
            if (back.desired.size() >= back.def.capacity()) {
                break;
            }
            Conn was = e.owner;
            relocate(e, t.getKey(), back);
            from.computeIfAbsent(was.def.id(), k -> new ArrayList<>()).add(t.getKey());
        }
        if (from.isEmpty()) {
            return;
        }
        back.reconcile();
        for (Map.Entry<String, List<String>> f : from.entrySet()) {
            connections.get(f.getKey()).reconcile();
            publish(
                    new StatusEvent.TickersMoved(
                            f.getKey(),
                            back.def.id(),
                            f.getValue(),
                            "fail-back: " + back.def.id() + " is connected again",
                            now()));
        }
    }

    private Optional<Conn> selectFor(TickerView view) {
        Optional<String> id = router.select(view, views());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Conn c = connections.get(id.get());
        if (c == null || !c.state.isRoutable() || c.desired.size() >= c.def.capacity()) {
            LOG.error(
                    "router {} selected '{}' for {}, which is unknown, down or full; treating as"
                            + " no choice",
                    router.getClass().getName(),
                    id.get(),
                    view.symbol());
            return Optional.empty();
        }
        return Optional.of(c);
    }

    private List<ConnectionView> views() {
        List<ConnectionView> v = new ArrayList<>(connections.size());
        for (Conn c : connections.values()) {
            v.add(view(c));
        }
        return v;
    }

    private static ConnectionView view(Conn c) {
        return new ConnectionView(
                c.def.id(),
                c.def.name(),
                c.state,
                c.desired.size(),
                c.def.capacity(),
                c.tickerRates,
                c.def.tags());
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Conn c : connections.values()) {
            m.put(c.def.id(), c.owned());
        }
        return m;
    }

    private void refuse(String symbol, String connectionId, String reason) {
        LOG.warn(
                "subscription of {}{} refused: {}",
                symbol,
                connectionId.isEmpty() ? "" : " on " + connectionId,
                reason);
        publish(new StatusEvent.SubscriptionRefused(symbol, connectionId, reason, now()));
    }

    private void publish(StatusEvent e) {
        status.publish(e);
    }

    private Instant now() {
        return clock.instant();
    }

    private static String kebab(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private void sampleRates() {
        long t = System.nanoTime();
        try {
            for (TickerEntry e : tickers.values()) {
                long count = e.messages.sum();
                e.rate.sample(count, t);
                if (count != e.lastSampledCount) {
                    e.lastSampledCount = count;
                    e.activeRate = e.rate.perSecond();
                }
            }
            synchronized (lock) {
                for (Conn c : connections.values()) {
                    c.rate.sample(c.messages.sum(), t);
                    Map<String, Double> rates = new HashMap<>();
                    for (String sym : c.desired) {
                        TickerEntry e = tickers.get(sym);
                        if (e != null && e.rate.perSecond() > 0) {
                            rates.put(sym, e.rate.perSecond());
                        }
                    }
                    c.tickerRates = Map.copyOf(rates);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("rate sampling failed; rates may be stale", e);
        }
    }

    /**
     * The periodic health check: rebalances when auto-rebalance is on and the router's imbalance
     * passes the threshold.
     */
    void healthCheck() {
        try {
            checkStaleness();
            if (!settings.autoRebalance()) {
                return;
            }
            double imbalance;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                imbalance = router.imbalance(views());
            }
            lastImbalance = imbalance;
            if (imbalance > settings.rebalanceThreshold()) {
                RebalanceResult r =
                        rebalance(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "auto-rebalance: imbalance %.2f above %.2f",
                                        imbalance,
                                        settings.rebalanceThreshold()));
                autoRebalances.incrementAndGet();
                autoMoves.addAndGet(r.moves().size());
            }
        } catch (RuntimeException e) {
            LOG.error("health check failed; it runs again at the next interval", e);
        }
    }

    private void registerGlobalMeters() {
        globalMeters.add(
                Gauge.builder("tickmux.tickers", tickers, Map::size)
                        .description("Tickers subscribed across all connections")
                        .register(registry));
        globalMeters.add(
                Gauge.builder("tickmux.dispatch.queue.depth", dispatcher, Dispatcher::queueDepth)
                        .description("Events waiting in the dispatch queue")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.dispatch.dropped", dispatcher, Dispatcher::dropped)
                        .description("Events dropped by the dispatch overflow policy")
                        .tag("policy", kebab(settings.overflowPolicy()))
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.listener.errors", invoker, ListenerInvoker::errors)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "tick")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.listener.errors", status, StatusPublisher::errors)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "status")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.status.dropped", status, StatusPublisher::dropped)
                        .description("Status events dropped because the status queue was full")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.events", totalTicks, LongAdder::sum)
                        .description("Market events received across all connections")
                        .register(registry));
        globalMeters.add(
                Gauge.builder("tickmux.tickers.stale", this, m -> m.staleTickers)
                        .description("Tickers silent much longer than their own rate predicts")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.gaps", gaps, AtomicLong::get)
                        .description(
                                "Spans in which a ticker was not covered, reported as Gap events")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.dedup.dropped", duplicates, LongAdder::sum)
                        .description(
                                "Copies dropped by the dedup filter during make-before-break moves")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.failovers", failovers, AtomicLong::get)
                        .description("Failovers: a lost connection's tickers re-homed on others")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.rebalance.auto", autoRebalances, AtomicLong::get)
                        .description("Automatic rebalances run by the health check")
                        .register(registry));
        globalMeters.add(
                FunctionCounter.builder("tickmux.rebalance.moves", autoMoves, AtomicLong::get)
                        .description("Tickers moved by automatic rebalances")
                        .register(registry));
        globalMeters.add(
                Gauge.builder("tickmux.imbalance", this, m -> m.lastImbalance)
                        .description("The router's imbalance measure at the last health check")
                        .register(registry));
    }

    /** One managed connection: its definition, desired state, transport and counters. */
    final class Conn implements TransportListener {
        final ConnectionDefinition def;
        TransportConnection transport;

        // guarded by lock
        final LinkedHashSet<String> desired = new LinkedHashSet<>();
        final Set<String> sent = new LinkedHashSet<>();
        final Set<String> acked = new LinkedHashSet<>();
        final Set<String> pending = new LinkedHashSet<>();
        final Set<String> pendingUnsub = new LinkedHashSet<>();
        volatile ConnectionState state = ConnectionState.NEW;
        volatile String lastCause = "";
        boolean socketHeld;
        int attempt;
        long connectedAtMillis = -1;
        long messagesAtConnect;
        ScheduledFuture<?> scheduledConnect;
        volatile Map<String, Double> tickerRates = Map.of();

        // hot path
        final LongAdder messages = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicLong reconnects = new AtomicLong();
        final AtomicLong evictions = new AtomicLong();
        final DecayingRate rate = new DecayingRate(halfLifeNanos);
        volatile long lastMessageMillis = -1;

        /** Event time of the last event delivered (the exchange's clock), for gap starts. */
        volatile long lastEventMillis = -1;

        final List<Meter> meters = new ArrayList<>();
        volatile io.micrometer.core.instrument.DistributionSummary lag;

        Conn(ConnectionDefinition def) {
            this.def = def;
        }

        /** Tickers this connection owns: its desired set less those moving away. Under the lock. */
        int owned() {
            int n = 0;
            for (String sym : desired) {
                TickerEntry e = tickers.get(sym);
                if (e != null && e.owner == this) {
                    n++;
                }
            }
            return n;
        }

        // ------------------------------------------------ control, called under lock

        void connectNow() {
            if (state.isTerminal() || closed) {
                return;
            }
            scheduledConnect = null;
            if (socketsHeld >= settings.maxConnections()) {
                LOG.debug(
                        "{}: socket budget full ({} of {}), retrying in {}",
                        def.id(),
                        socketsHeld,
                        settings.maxConnections(),
                        settings.socketWaitDelay());
                schedule(settings.socketWaitDelay());
                return;
            }
            socketsHeld++;
            maxSocketsSeen = Math.max(maxSocketsSeen, socketsHeld);
            socketHeld = true;
            setState(ConnectionState.CONNECTING, "opening socket");
            try {
                transport.connect();
            } catch (RuntimeException e) {
                LOG.warn("{}: transport refused to connect", def.id(), e);
                onDisconnected(DisconnectReason.CONNECT_FAILED, -1, String.valueOf(e.getMessage()));
            }
        }

        void schedule(Duration delay) {
            if (scheduledConnect != null) {
                scheduledConnect.cancel(false);
            }
            scheduledConnect =
                    scheduler.schedule(
                            () -> {
                                synchronized (lock) {
                                    if (!closed
                                            && !state.isTerminal()
                                            && state != ConnectionState.CONNECTING
                                            && state != ConnectionState.CONNECTED) {
                                        reconnects.incrementAndGet();
                                        connectNow();
                                    }
                                }
                            },
                            delay.toNanos(),
                            TimeUnit.NANOSECONDS);
        }

        void reconcile() {
            if (state != ConnectionState.CONNECTED) {
                return;
            }
            List<String> toUnsub = new ArrayList<>();
            for (String s : sent) {
                if (!desired.contains(s)) {
                    toUnsub.add(s);
                }
            }
            List<String> toSub = new ArrayList<>();
            for (String s : desired) {
                if (!sent.contains(s)) {
                    toSub.add(s);
                }
            }
            if (!toUnsub.isEmpty()) {
                toUnsub.forEach(sent::remove);
                toUnsub.forEach(acked::remove);
                toUnsub.forEach(pending::remove);
                pendingUnsub.addAll(toUnsub);
                transport.unsubscribe(toUnsub);
            }
            if (!toSub.isEmpty()) {
                sent.addAll(toSub);
                pending.addAll(toSub);
                transport.subscribe(toSub);
            }
        }

        void shutdown(String cause) {
            if (scheduledConnect != null) {
                scheduledConnect.cancel(false);
                scheduledConnect = null;
            }
            setState(ConnectionState.CLOSED, cause);
            transport.close();
        }

        void setState(ConnectionState to, String cause) {
            ConnectionState from = state;
            state = to;
            lastCause = cause;
            lock.notifyAll();
            if (from != to) {
                LOG.info(
                        "{} ({}): {} -> {}: {}",
                        def.id(),
                        def.name(),
                        kebab(from),
                        kebab(to),
                        cause);
                publish(new StatusEvent.ConnectionStateChanged(def.id(), from, to, cause, now()));
            }
        }

        // ------------------------------------------------ transport callbacks

        @Override
        public void onConnected() {
            synchronized (lock) {
                if (state == ConnectionState.CLOSED || closed) {
                    return;
                }
                connectedAtMillis = clock.millis();
                messagesAtConnect = messages.sum();
                sent.clear();
                acked.clear();
                pending.clear();
                pendingUnsub.clear();
                setState(ConnectionState.CONNECTED, "authenticated");
                reconcile();
                if (settings.failBack() == CoreSettings.FailBack.IMMEDIATE) {
                    failBack(this);
                }
            }
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            synchronized (lock) {
                if (socketHeld) {
                    socketHeld = false;
                    socketsHeld--;
                }
                boolean lost =
                        reason != DisconnectReason.CLOSED_BY_CLIENT
                                && state != ConnectionState.CLOSED
                                && !closed;
                if (lost) {
                    // Anything the socket lost was produced after the last event it delivered:
                    // the gap starts there, not at the (later) moment the loss was detected.
                    long now = clock.millis();
                    long lastEvent = lastEventMillis;
                    long from = lastEvent > 0 && lastEvent <= now ? lastEvent : now;
                    String why =
                            def.id()
                                    + " "
                                    + kebab(reason)
                                    + (closeCode >= 0 ? " (" + closeCode + ")" : "");
                    for (String sym : acked) {
                        TickerEntry e = tickers.get(sym);
                        if (e == null) {
                            continue;
                        }
                        Conn other =
                                e.secondary == this
                                        ? e.owner
                                        : e.owner == this ? e.secondary : null;
                        if (other != null
                                && other.state == ConnectionState.CONNECTED
                                && other.acked.contains(sym)) {
                            // A critical ticker: its other copy still streams; no gap. The lost
                            // socket becomes the secondary and re-subscribes when it is back.
                            if (e.owner == this) {
                                e.owner = other;
                                e.secondary = this;
                            }
                            continue;
                        }
                        if (e.moveFrom == this) {
                            // Leaving this socket, not yet acknowledged on the new one.
                            e.moveFrom = null;
                            desired.remove(sym);
                        } else if (e.owner != this && e.secondary != this) {
                            continue;
                        }
                        if (e.gapStartMillis < 0) {
                            e.gapStartMillis = from;
                            e.gapConnection = def.id();
                            e.gapCause = why;
                        }
                    }
                    // Moves onto this socket that it never acknowledged go back to their source.
                    for (Map.Entry<String, TickerEntry> t : tickers.entrySet()) {
                        TickerEntry e = t.getValue();
                        if (e.owner == this && e.moveFrom != null) {
                            Conn back = e.moveFrom;
                            e.moveFrom = null;
                            e.dedup = null;
                            desired.remove(t.getKey());
                            e.owner = back;
                        }
                    }
                }
                sent.clear();
                acked.clear();
                pending.clear();
                pendingUnsub.clear();
                String cause =
                        kebab(reason)
                                + (closeCode >= 0 ? " (" + closeCode + ")" : "")
                                + (detail == null || detail.isEmpty() ? "" : ": " + detail);
                if (state == ConnectionState.CLOSED || closed) {
                    lastCause = cause;
                    lock.notifyAll();
                    return;
                }
                long up = connectedAtMillis < 0 ? 0 : clock.millis() - connectedAtMillis;
                boolean stable =
                        connectedAtMillis >= 0
                                && up >= settings.stableAfter().toMillis()
                                && messages.sum() > messagesAtConnect;
                connectedAtMillis = -1;
                switch (reason) {
                    case AUTH_FAILED -> {
                        errors.increment();
                        LOG.error(
                                "{}: authentication failed, not retrying: {}. Check the API key"
                                        + " (MASSIVE_API_KEY or the connection's api-key) and"
                                        + " that the plan includes WebSocket access",
                                def.id(),
                                cause);
                        setState(ConnectionState.FAILED, cause);
                    }
                    case CLOSED_BY_CLIENT -> setState(ConnectionState.CLOSED, cause);
                    case EVICTED -> {
                        evictions.incrementAndGet();
                        if (accountLimitReached()) {
                            park(this, cause);
                            return;
                        }
                        Duration wait = settings.evictionCooldown();
                        LOG.warn(
                                "{}: evicted by the server (account connection limit), eviction"
                                        + " #{}; reconnecting in {}. Lower"
                                        + " tickmux.core.max-connections to what the account"
                                        + " allows, or ask Massive to raise the limit",
                                def.id(),
                                evictions.get(),
                                wait);
                        setState(ConnectionState.COOLDOWN, cause + "; retry in " + wait);
                        schedule(wait);
                    }
                    case CLEAN_CLOSE,
                            ABORT,
                            POLICY,
                            CONNECT_FAILED,
                            READ_TIMEOUT,
                            SLOW_CONSUMER -> {
                        if (reason == DisconnectReason.CONNECT_FAILED) {
                            errors.increment();
                        }
                        if (stable) {
                            attempt = 0;
                        }
                        Duration wait = backoff.delay(attempt++);
                        setState(
                                ConnectionState.RECONNECTING,
                                cause + "; retry #" + attempt + " in " + wait.toMillis() + "ms");
                        schedule(wait);
                    }
                }
                if (lost && settings.failoverEnabled() && started) {
                    failover(this, cause);
                }
            }
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            int n = events.size();
            long now = clock.millis();
            for (int i = 0; i < n; i++) {
                MarketEvent e = events.get(i);
                TickerEntry t = tickers.get(e.symbol());
                if (t != null) {
                    Dedup d = t.dedup;
                    // On two sockets (a move, a critical ticker) the dedup filter decides: their
                    // streams interleave, so sequence order across them means nothing. On one
                    // socket, a sequence at or below the last delivered is a repeated batch.
                    if (d != null ? !d.firstCopy(e) : repeated(t, e)) {
                        duplicates.increment();
                        continue;
                    }
                    t.messages.increment();
                    t.lastEventMillis = now;
                }
                dispatcher.dispatch(e);
            }
            messages.add(n);
            totalTicks.add(n);
            // The last-message time and one lag sample (the call's last event) once per
            // millisecond, not per call: a transport calls every few events, and these volatile
            // writes and the histogram record would cost more than the rest of the call.
            if (n > 0 && now != lastMessageMillis) {
                lastMessageMillis = now;
                long eventTime = events.get(n - 1).timestampMillis();
                lastEventMillis = eventTime;
                if (lag != null) {
                    lag.record(Math.max(0, now - eventTime));
                }
            }
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            synchronized (lock) {
                if (subscribed) {
                    if (pending.remove(symbol) && sent.contains(symbol)) {
                        acked.add(symbol);
                        TickerEntry e = tickers.get(symbol);
                        if (e != null && (e.owner == this || e.secondary == this)) {
                            if (e.secondary == null && e.moveFrom == null) {
                                // A fresh session (sequences reset each day); keep the marks
                                // while another socket also carries the ticker.
                                e.lastTradeSequence = -1;
                                e.lastQuoteSequence = -1;
                            }
                            e.lastEventMillis = clock.millis();
                            closeGap(e, symbol, "covered again on " + def.id());
                            completeMove(e, symbol);
                        }
                    }
                } else {
                    acked.remove(symbol);
                    pendingUnsub.remove(symbol);
                }
                lock.notifyAll();
            }
        }

        @Override
        public void onRejected(String symbol, String reason) {
            synchronized (lock) {
                pending.remove(symbol);
                errors.increment();
                lock.notifyAll();
            }
            LOG.warn("{}: server refused {}: {}", def.id(), symbol, reason);
            publish(new StatusEvent.SubscriptionRefused(symbol, def.id(), reason, now()));
        }

        @Override
        public void onServerStatus(String statusWord, String message) {
            LOG.info("{}: server status {}: {}", def.id(), statusWord, message);
            publish(new StatusEvent.ServerStatus(def.id(), statusWord, message, now()));
        }

        @Override
        public void onError(String kind, String detail) {
            errors.increment();
            transportErrorLog.warn(
                    "{}: transport error {} (skipped, connection kept): {}",
                    null,
                    def.id(),
                    kind,
                    detail);
        }

        // ------------------------------------------------ meters

        void registerMeters() {
            Tags tags = Tags.of("connection", def.id());
            lag =
                    io.micrometer.core.instrument.DistributionSummary.builder(
                                    "tickmux.connection.lag")
                            .description("Receive time minus event time of each frame's last event")
                            .baseUnit("milliseconds")
                            .publishPercentiles(0.5, 0.99)
                            .tags(tags)
                            .register(registry);
            meters.add(lag);
            meters.add(
                    FunctionCounter.builder("tickmux.connection.messages", messages, LongAdder::sum)
                            .description("Market events received on the connection")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    FunctionCounter.builder("tickmux.connection.errors", errors, LongAdder::sum)
                            .description(
                                    "Errors on the connection: failed connects, refusals, bad frames")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    FunctionCounter.builder(
                                    "tickmux.connection.reconnects", reconnects, AtomicLong::get)
                            .description("Reconnect attempts")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    FunctionCounter.builder(
                                    "tickmux.connection.evictions", evictions, AtomicLong::get)
                            .description(
                                    "Evictions by the server for exceeding the account connection limit")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder("tickmux.connection.tickers", this, c -> c.desired.size())
                            .description("Tickers assigned to the connection")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder("tickmux.connection.pending.acks", this, c -> c.pending.size())
                            .description("Tickers sent to the server and not yet acknowledged")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder(
                                    "tickmux.connection.up",
                                    this,
                                    c -> c.state == ConnectionState.CONNECTED ? 1 : 0)
                            .description("1 when connected and authenticated, else 0")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder("tickmux.connection.state", this, c -> c.state.ordinal())
                            .description(
                                    "State code: 0 new, 1 connecting, 2 connected, 3 reconnecting,"
                                            + " 4 cooldown, 5 failed, 6 closed")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder("tickmux.connection.message.rate", rate, DecayingRate::perSecond)
                            .description("Decaying average of market events per second")
                            .tags(tags)
                            .register(registry));
            meters.add(
                    Gauge.builder(
                                    "tickmux.connection.last.message.age",
                                    this,
                                    c ->
                                            c.lastMessageMillis < 0
                                                    ? Double.NaN
                                                    : (clock.millis() - c.lastMessageMillis)
                                                            / 1000.0)
                            .description("Seconds since the last market event")
                            .baseUnit("seconds")
                            .tags(tags)
                            .register(registry));
        }

        void removeMeters() {
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
        }
    }
}
