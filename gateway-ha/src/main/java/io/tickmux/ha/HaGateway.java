package io.tickmux.ha;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.tickmux.app.AppSettings;
import io.tickmux.app.GatewayRole;
import io.tickmux.app.Tickmux;
import io.tickmux.core.Catalogue;
import io.tickmux.ha.internal.FencedTransport;
import io.tickmux.ha.internal.LeaseFence;
import io.tickmux.ha.internal.LeaseRecord;
import io.tickmux.ha.internal.NatsLease;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.transport.TransportFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway of an active/standby pair: the application ({@link Tickmux}) under a lease in a NATS
 * JetStream key-value bucket. Exactly one gateway of the pair holds the lease and the account's
 * Massive connections; the others stand by with their configuration and universes loaded, their
 * health served, and nothing connected.
 *
 * <pre>{@code
 * Config root = Tickmux.load(ConfigFactory.load(), System.getenv());   // tickmux.ha.mode = active-standby
 * try (HaGateway gw = HaGateway.builder(root).customize(b -> b.tickListener(l)).build()) {
 *     gw.start();                                    // standby at once; active when it gets the lease
 *     ...
 * }
 * }</pre>
 *
 * <p>The rules it keeps (docs/scale-out.md, "Active and standby gateways"):
 *
 * <ul>
 *   <li>It connects only while it holds the lease and only while the lease is valid by its own
 *       monotonic deadline: the sent time of its last successful renewal plus {@code ttl} minus
 *       {@code safety-margin}. That deadline is earlier than the time anyone else can acquire the
 *       lease (the bucket's max-age runs from when the server stored the renewal), so the old
 *       holder has closed its sockets before a new one opens any.
 *   <li>When the lease is lost (a renewal's compare-and-set failed, or the local deadline passed
 *       without a successful renewal) it aborts every socket at once, its sinks discard what they
 *       hold, and it goes back to standby (a new application is assembled) and keeps trying to
 *       acquire.
 *   <li>Every message its sinks publish carries the epoch (the revision at acquisition): consumers
 *       drop an older epoch once they have seen a newer one.
 *   <li>On acquiring it publishes, for every ticker, a gap from the previous holder's last
 *       published-through time (minus {@code gap-lead}) to the ticker's subscription
 *       acknowledgement on this gateway, cause naming both gateways and epochs.
 * </ul>
 *
 * <p>Threads: {@code tickmux-ha-lease} (acquire and renew), {@code tickmux-ha-fence} (fires at the
 * local deadline even while a renewal hangs), {@code tickmux-ha-role} (starts and stops the
 * application).
 */
public final class HaGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HaGateway.class);

    private final Config root;
    private final HaSettings settings;
    private final Consumer<Tickmux.Builder> customizer;
    private final Consumer<Switchover> switchoverListener;
    private final TransportFactory transport;
    private final NatsLease lease;
    private final Role role = new Role();
    private final ExecutorService roleThread =
            Executors.newSingleThreadExecutor(Threads.named("tickmux-ha-role"));
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(Threads.named("tickmux-ha-fence"));
    private final AtomicLong switchovers = new AtomicLong();
    private final AtomicLong losses = new AtomicLong();
    private final AtomicLong gapsPublished = new AtomicLong();
    private Thread leaseThread;
    private volatile boolean running;
    private volatile boolean stopping;

    // Lease state: guarded by this.
    private LeaseFence fence;
    private long revision;
    private long nextRenewNanos;
    private NatsLease.Seen lastSeen;
    // What this holder passes on as its "through" until its own switchover gaps are published.
    private long inheritedThrough;
    private boolean gapsSettled;
    private volatile String lastLost = "";
    private volatile boolean reachable;
    private volatile String holder = "";
    private volatile long holderEpoch;
    private volatile Switchover lastSwitchover;

    // Application state: role thread only, except the volatile views.
    private Tickmux standby;
    private FencedTransport standbyTransport;
    private Tickmux active;
    private volatile LeaseFence activeFence;
    private volatile FencedTransport activeTransport;
    private volatile List<Sink> activeSinks = List.of();
    private volatile Gaps activeGaps;
    private volatile Tickmux current;

    private HaGateway(Builder b) {
        this.root = b.root;
        this.customizer = b.customizer;
        this.switchoverListener = b.switchoverListener;
        Catalogue catalogue = Catalogue.load();
        Tickmux.check(root, catalogue); // every module's problems at once, tickmux.ha's included
        this.settings = HaSettings.from(root);
        if (settings.mode() != HaSettings.Mode.ACTIVE_STANDBY) {
            throw new TickmuxConfigException(
                    List.of(
                            HaSettings.PATH
                                    + ".mode is off: set it to active-standby on every gateway of"
                                    + " the pair, or run the application without HaGateway"));
        }
        this.transport = catalogue.transport(AppSettings.from(root).transport());
        this.lease = new NatsLease(settings);
    }

    /**
     * @param root the whole configuration, with {@code tickmux.ha.mode = active-standby}
     * @return a builder
     */
    public static Builder builder(Config root) {
        return new Builder(root);
    }

    /**
     * Connects to the lease store, assembles the application in standby (its extensions, the health
     * server among them, started; nothing connected) and starts contending for the lease.
     *
     * @throws Exception when NATS cannot be reached or the application cannot be assembled
     */
    public synchronized void start() throws Exception {
        if (running || stopping) {
            return;
        }
        lease.open();
        reachable = true;
        roleThread.submit(this::prepareStandby).get();
        running = true;
        leaseThread = new Thread(this::leaseLoop, "tickmux-ha-lease");
        leaseThread.setDaemon(true);
        leaseThread.start();
        LOG.info(
                "gateway ha: {} standing by for lease {}/{} at {} (ttl {}, renew every {}, safety"
                        + " margin {})",
                settings.gatewayId(),
                settings.bucket(),
                settings.key(),
                settings.urls(),
                settings.ttl(),
                settings.renewInterval(),
                settings.safetyMargin());
    }

    // ------------------------------------------------------------ the lease

    private void leaseLoop() {
        while (running) {
            LeaseFence f;
            synchronized (this) {
                f = fence;
            }
            long waitNanos;
            if (f == null) {
                tryAcquire();
                waitNanos = settings.acquireInterval().toNanos();
            } else {
                renewIfDue(f);
                long now = System.nanoTime();
                long until;
                synchronized (this) {
                    until = fence == f ? Math.min(nextRenewNanos, f.deadlineNanos()) : now;
                }
                waitNanos = Math.max(1_000_000L, until - now);
            }
            if (running) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }

    private void tryAcquire() {
        if (stopping) {
            return;
        }
        NatsLease.Seen seen;
        try {
            seen = lease.read();
            reachable = true;
        } catch (Exception e) {
            unreachable("reading the lease", e);
            return;
        }
        if (seen != null) {
            synchronized (this) {
                lastSeen = seen;
            }
            holder = seen.record().holder();
            holderEpoch = seen.epoch();
            return;
        }
        long sent = System.nanoTime();
        long wall = nowNanos();
        NatsLease.Seen previous;
        synchronized (this) {
            previous = lastSeen;
        }
        // The first value already passes on the previous holder's mark: a holder that dies before
        // its first renewal must not hide the switchover it was making.
        long inherited =
                nanos(switchover(previous, 0, instant(wall)).gapFrom().plus(settings.gapLead()));
        long rev;
        try {
            rev = lease.create(new LeaseRecord(settings.gatewayId(), 0, wall, inherited));
        } catch (NatsLease.Taken e) {
            return; // another gateway was faster
        } catch (Exception e) {
            unreachable("acquiring the lease", e);
            return;
        }
        acquired(rev, sent, wall);
    }

    private void acquired(long rev, long sentNanos, long wallNanos) {
        LeaseFence f = new LeaseFence(rev, deadlineAfter(sentNanos));
        NatsLease.Seen previous;
        synchronized (this) {
            fence = f;
            revision = rev;
            nextRenewNanos = System.nanoTime(); // at once: the value then carries the epoch
            previous = lastSeen;
        }
        holder = settings.gatewayId();
        holderEpoch = rev;
        switchovers.incrementAndGet();
        Instant acquiredAt = instant(wallNanos);
        Switchover s = switchover(previous, rev, acquiredAt);
        synchronized (this) {
            inheritedThrough = nanos(s.gapFrom().plus(settings.gapLead()));
            gapsSettled = false;
        }
        lastSwitchover = s;
        LOG.info(
                "gateway ha: {} acquired the lease, epoch {} (previous holder {} epoch {}, last"
                        + " renewed {}); connecting",
                settings.gatewayId(),
                rev,
                s.from().isEmpty() ? "unknown" : s.from(),
                s.fromEpoch(),
                s.previousRenewal());
        armWatchdog(f);
        roleThread.execute(() -> activate(f, s));
    }

    private Switchover switchover(NatsLease.Seen previous, long epoch, Instant acquiredAt) {
        if (previous == null) {
            // Nobody was seen holding it since this gateway started: the previous holder, if
            // any, renewed at least a ttl before now.
            Instant from = acquiredAt.minus(settings.ttl()).minus(settings.gapLead());
            return new Switchover("", 0, settings.gatewayId(), epoch, from, null, acquiredAt, null);
        }
        LeaseRecord r = previous.record();
        long through = r.throughNanos() > 0 ? Math.min(r.throughNanos(), r.renewedNanos()) : 0;
        long start = through > 0 ? through : r.renewedNanos();
        Instant gapFrom = instant(start).minus(settings.gapLead());
        return new Switchover(
                r.holder(),
                previous.epoch(),
                settings.gatewayId(),
                epoch,
                gapFrom,
                instant(r.renewedNanos()),
                acquiredAt,
                null);
    }

    private void renewIfDue(LeaseFence f) {
        if (!f.valid()) {
            lost(f, "the lease expired by the local clock (no renewal succeeded in time)");
            return;
        }
        long rev;
        synchronized (this) {
            if (fence != f || System.nanoTime() - nextRenewNanos < 0) {
                return;
            }
            rev = revision;
        }
        long sent = System.nanoTime();
        long wall = nowNanos();
        LeaseRecord value =
                new LeaseRecord(settings.gatewayId(), f.epoch(), wall, through(f, wall));
        long next;
        try {
            next = lease.update(value, rev);
            reachable = true;
        } catch (NatsLease.Taken e) {
            lost(f, e.getMessage());
            return;
        } catch (Exception e) {
            unreachable("renewing the lease", e);
            synchronized (this) {
                if (fence == f) {
                    // Try again soon; the deadline decides when it is lost.
                    nextRenewNanos =
                            System.nanoTime()
                                    + Math.min(
                                            settings.renewInterval().toNanos() / 4, 100_000_000L);
                }
            }
            return;
        }
        synchronized (this) {
            if (fence != f) {
                return;
            }
            revision = next;
            if (!f.extend(deadlineAfter(sent))) {
                // Valid no more: it ran out while the renewal was on its way. Once lost, lost.
                lost(f, "the renewal succeeded after the lease's local deadline");
                return;
            }
            nextRenewNanos = sent + settings.renewInterval().toNanos();
        }
        armWatchdog(f);
    }

    private long deadlineAfter(long sentNanos) {
        return sentNanos + settings.ttl().toNanos() - settings.safetyMargin().toNanos();
    }

    /**
     * What this holder writes as its published-through time: its sinks' mark, but never later than
     * what it inherited until its own switchover gaps are handed over and published (the sinks'
     * mark passed the hand-over). Otherwise a holder that dies (or loses the lease) before its
     * switchover gaps reach the bus would pass on a mark that skips the previous switchover.
     */
    private long through(LeaseFence f, long now) {
        long through = publishedThrough(now);
        synchronized (this) {
            if (!gapsSettled) {
                Gaps g = activeGaps;
                long handed = g != null && g.s.toEpoch() == f.epoch() ? g.handedOverNanos : 0;
                if (handed > 0 && through > handed) {
                    gapsSettled = true;
                } else {
                    through = Math.min(through, inheritedThrough);
                }
            }
        }
        return through;
    }

    /** The receipt time up to which every sink of the active application was acknowledged. */
    private long publishedThrough(long now) {
        long through = now;
        for (Sink s : activeSinks) {
            long t = s.publishedThroughNanos();
            if (t >= 0 && t < through) {
                through = t;
            }
        }
        return through;
    }

    private void armWatchdog(LeaseFence f) {
        long delay = f.deadlineNanos() - System.nanoTime();
        if (watchdog.isShutdown()) {
            return;
        }
        watchdog.schedule(
                () -> {
                    if (!f.valid()) {
                        lost(
                                f,
                                "the lease expired by the local clock (no renewal succeeded in"
                                        + " time)");
                    }
                },
                Math.max(0, delay),
                TimeUnit.NANOSECONDS);
    }

    /**
     * The lease is lost: the fence is revoked, every socket aborted on this thread, and the
     * application closed and assembled again in standby on the role thread.
     */
    private void lost(LeaseFence f, String why) {
        synchronized (this) {
            if (fence != f) {
                return;
            }
            fence = null;
            f.revoke();
        }
        losses.incrementAndGet();
        lastLost = why;
        FencedTransport t = activeTransport;
        int aborted = t != null ? t.abortAll() : 0;
        LOG.warn(
                "gateway ha: {} lost the lease (epoch {}): {}; {} connections aborted, nothing more"
                        + " is published; standing by again",
                settings.gatewayId(),
                f.epoch(),
                why,
                aborted);
        try {
            roleThread.execute(() -> deactivate(f));
        } catch (RejectedExecutionException e) {
            // stopping: close() closes the application
        }
    }

    private long lastUnreachableLog;

    private void unreachable(String what, Exception e) {
        reachable = false;
        long now = System.nanoTime();
        if (lastUnreachableLog == 0 || now - lastUnreachableLog > 10_000_000_000L) {
            lastUnreachableLog = now;
            LOG.warn(
                    "gateway ha: {} at {} failed: {} (retrying; a holder loses the lease at its"
                            + " local deadline)",
                    what,
                    settings.urls(),
                    e.toString());
        }
    }

    // ------------------------------------------------------------ the application (role thread)

    private void prepareStandby() {
        FencedTransport t = new FencedTransport(transport, FencedTransport.CLOSED);
        Tickmux.Builder b = Tickmux.builder(root).transport(t).role(role);
        customizer.accept(b);
        Tickmux app = b.build();
        try {
            app.startStandby();
        } catch (Exception e) {
            app.close();
            throw new IllegalStateException(
                    "gateway ha: the standby application could not start its extensions: "
                            + e.getMessage(),
                    e);
        }
        standby = app;
        standbyTransport = t;
        current = app;
    }

    private void activate(LeaseFence f, Switchover s) {
        if (!f.valid()) {
            return; // lost before it could start; deactivate() follows
        }
        if (stopping) {
            return; // close() releases it
        }
        try {
            if (standby == null) {
                prepareStandby();
            }
            Tickmux app = standby;
            FencedTransport t = standbyTransport;
            standby = null;
            standbyTransport = null;
            Set<String> tickers = new LinkedHashSet<>();
            app.assignment().values().forEach(tickers::addAll);
            Gaps gaps = new Gaps(s, tickers, app.sinks().sinks());
            for (Sink sink : app.sinks().sinks()) {
                sink.fence(f);
            }
            activeGaps = gaps;
            t.arm(f, gaps::acknowledged);
            active = app;
            activeFence = f;
            activeTransport = t;
            activeSinks = app.sinks().sinks();
            current = app;
            app.start();
        } catch (Exception e) {
            LOG.error(
                    "gateway ha: {} holds the lease but the application could not start; giving"
                            + " the lease up",
                    settings.gatewayId(),
                    e);
            lost(f, "the application could not start: " + e.getMessage());
            releaseQuietly(f);
        }
    }

    private void deactivate(LeaseFence f) {
        if (activeFence != f) {
            return;
        }
        Tickmux app = active;
        active = null;
        activeFence = null;
        activeTransport = null;
        activeSinks = List.of();
        if (app != null) {
            try {
                app.manager().close(); // the sockets first (already aborted), then the rest
            } finally {
                app.close();
            }
        }
        if (running && !stopping) {
            try {
                prepareStandby();
            } catch (RuntimeException e) {
                LOG.error(
                        "gateway ha: assembling the standby application failed; trying again at"
                                + " the next acquisition",
                        e);
            }
        }
    }

    private void releaseQuietly(LeaseFence f) {
        long rev;
        synchronized (this) {
            rev = revision;
        }
        try {
            lease.release(rev);
        } catch (Exception e) {
            LOG.warn(
                    "gateway ha: releasing lease epoch {} failed ({}); it expires after the ttl",
                    f.epoch(),
                    e.toString());
        }
    }

    /** The switchover gaps of one activation: one per ticker, at its first acknowledgement. */
    private final class Gaps {
        private final Switchover s;
        private final Set<String> expected;
        private final List<Sink> sinks;
        private final Set<String> done = ConcurrentHashMap.newKeySet();
        private final AtomicInteger remaining;
        private final String cause;
        private volatile long handedOverNanos;

        Gaps(Switchover s, Set<String> expected, List<Sink> sinks) {
            this.s = s;
            this.expected = expected;
            this.sinks = sinks;
            this.remaining = new AtomicInteger(expected.size());
            this.cause =
                    "switchover: gateway "
                            + (s.from().isEmpty() ? "unknown" : s.from())
                            + " (epoch "
                            + s.fromEpoch()
                            + ") -> gateway "
                            + s.to()
                            + " (epoch "
                            + s.toEpoch()
                            + ")";
        }

        void acknowledged(String connectionId, String symbol) {
            if (!done.add(symbol)) {
                return;
            }
            Instant now = Instant.now();
            StatusEvent.Gap gap =
                    new StatusEvent.Gap(symbol, connectionId, s.gapFrom(), now, cause, now);
            for (Sink sink : sinks) {
                sink.onStatus(gap);
            }
            gapsPublished.incrementAndGet();
            if (expected.contains(symbol) && remaining.decrementAndGet() == 0) {
                handedOverNanos = nowNanos(); // after the last gap went to the sinks
                Switchover complete =
                        new Switchover(
                                s.from(),
                                s.fromEpoch(),
                                s.to(),
                                s.toEpoch(),
                                s.gapFrom(),
                                s.previousRenewal(),
                                s.acquired(),
                                now);
                lastSwitchover = complete;
                LOG.info(
                        "gateway ha: switchover to {} (epoch {}) complete: {} tickers streaming,"
                                + " {} ms after the previous holder's last renewal",
                        s.to(),
                        s.toEpoch(),
                        expected.size(),
                        complete.took().toMillis());
                try {
                    switchoverListener.accept(complete);
                } catch (RuntimeException e) {
                    LOG.warn("gateway ha: a switchover listener threw; continuing", e);
                }
            }
        }
    }

    // ------------------------------------------------------------ the view

    /** The role as the health server shows it. */
    private final class Role implements GatewayRole {
        @Override
        public boolean active() {
            LeaseFence f = activeFence;
            return f != null && f.valid();
        }

        @Override
        public boolean healthy() {
            return reachable;
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            boolean a = active();
            m.put("role", a ? "active" : "standby");
            m.put("gateway", settings.gatewayId());
            m.put("holder", holder.isEmpty() ? null : holder);
            m.put("epoch", holderEpoch);
            m.put("lease_store_reachable", reachable);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("store", "nats-kv");
            l.put("bucket", settings.bucket());
            l.put("key", settings.key());
            l.put("ttl_ms", settings.ttl().toMillis());
            LeaseFence f = activeFence;
            if (a && f != null) {
                l.put("valid_for_ms", (f.deadlineNanos() - System.nanoTime()) / 1_000_000L);
            }
            m.put("lease", l);
            m.put("switchovers", switchovers.get());
            m.put("leases_lost", losses.get());
            m.put("last_lost", lastLost.isEmpty() ? null : lastLost);
            Switchover s = lastSwitchover;
            m.put("last_switchover", s == null ? null : s.toMap());
            return m;
        }
    }

    /**
     * @return this gateway's role, as the health server shows it
     */
    public GatewayRole role() {
        return role;
    }

    /**
     * @return whether this gateway holds a valid lease now
     */
    public boolean active() {
        return role.active();
    }

    /**
     * @return the epoch of the lease this gateway holds, or of the holder it last saw
     */
    public long epoch() {
        return holderEpoch;
    }

    /**
     * @return the last switchover to this gateway
     */
    public Optional<Switchover> lastSwitchover() {
        return Optional.ofNullable(lastSwitchover);
    }

    /**
     * @return the application now: the active one, or the standby one
     */
    public Tickmux application() {
        return current;
    }

    /**
     * @return the settings
     */
    public HaSettings settings() {
        return settings;
    }

    /**
     * Stops contending. When active: closes every connection first, lets the sinks publish what
     * they hold while the lease is still valid, then releases the lease so a standby takes over at
     * once (without waiting for the ttl). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        if (leaseThread != null) {
            try {
                roleThread.submit(this::retire).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("gateway ha: stopping the application failed; continuing", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
        Thread t = leaseThread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LeaseFence f;
        synchronized (this) {
            f = fence;
            fence = null;
            if (f != null) {
                f.revoke();
            }
        }
        if (f != null) {
            releaseQuietly(f);
            LOG.info(
                    "gateway ha: {} stopped and released the lease (epoch {})",
                    settings.gatewayId(),
                    f.epoch());
        }
        roleThread.shutdownNow();
        watchdog.shutdownNow();
        try {
            lease.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Role thread: the active application closed in order (sockets, then sinks), and the standby.
     */
    private void retire() {
        Tickmux app = active;
        active = null;
        activeFence = null;
        activeTransport = null;
        activeSinks = List.of();
        if (app != null) {
            try {
                app.manager().close();
            } finally {
                app.close();
            }
        }
        Tickmux s = standby;
        standby = null;
        if (s != null) {
            s.close();
        }
    }

    private static long nowNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Builds a {@link HaGateway}. */
    public static final class Builder {
        private final Config root;
        private Consumer<Tickmux.Builder> customizer = b -> {};
        private Consumer<Switchover> switchoverListener = s -> {};

        private Builder(Config root) {
            this.root = requireNonNull(root, "root is null");
        }

        /**
         * @param customizer applied to every application assembled (each standby): listeners, a
         *     meter registry, a universe source
         * @return this
         */
        public Builder customize(Consumer<Tickmux.Builder> customizer) {
            this.customizer = requireNonNull(customizer, "customizer is null");
            return this;
        }

        /**
         * @param listener told when a switchover to this gateway is complete (every ticker
         *     acknowledged); on a read thread, must not block
         * @return this
         */
        public Builder switchoverListener(Consumer<Switchover> listener) {
            this.switchoverListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * @return the gateway, not started
         * @throws TickmuxConfigException listing every configuration problem, or when {@code
         *     tickmux.ha.mode} is off
         */
        public HaGateway build() {
            return new HaGateway(this);
        }
    }
}
