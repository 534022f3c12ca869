package io.tickmux.ha;

import com.typesafe.config.Config;
import io.tickmux.app.Tickmux;
import io.tickmux.ha.internal.FencedTransport;
import io.tickmux.ha.internal.LeaseFence;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.transport.TransportFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application under the lease, on {@code tickmux-ha-role}: assembled in standby (its extensions
 * started, nothing connected); on an acquisition its transport and sinks fenced with the lease, its
 * switchover gaps armed, and started; on a loss its sockets aborted at once (on the thread that saw
 * the loss), then closed and assembled again in standby; on a clean stop closed in order (sockets,
 * then sinks) while the lease still holds. Keeps the switchover to this gateway and the fence of
 * the running application, for the role.
 */
final class Applications implements LeaseHolder {

    private static final Logger LOG = LoggerFactory.getLogger(HaGateway.class);

    private final Config root;
    private final HaSettings settings;
    private final TransportFactory transport;
    private final Consumer<Tickmux.Builder> customizer;
    private final Consumer<Switchover> switchoverListener;
    private final LeaseKeeper keeper;
    private final RoleView role;
    private final ExecutorService roleThread =
            Executors.newSingleThreadExecutor(Threads.named("tickmux-ha-role"));
    private volatile boolean stopping;
    private volatile Switchover lastSwitchover;

    // Role thread only, except the volatile views.
    private Tickmux standby;
    private FencedTransport standbyTransport;
    private Tickmux active;
    private volatile LeaseFence activeFence;
    private volatile FencedTransport activeTransport;
    private volatile List<Sink> activeSinks = List.of();
    private volatile SwitchoverGaps activeGaps;
    private volatile Tickmux current;

    /**
     * @param root the whole configuration
     * @param settings the settings
     * @param transport the configured transport, fenced in every application assembled
     * @param customizer applied to every application assembled
     * @param switchoverListener told when a switchover to this gateway is complete
     * @param keeper the lease, given up when the application cannot start
     */
    Applications(
            Config root,
            HaSettings settings,
            TransportFactory transport,
            Consumer<Tickmux.Builder> customizer,
            Consumer<Switchover> switchoverListener,
            LeaseKeeper keeper) {
        this.root = root;
        this.settings = settings;
        this.transport = transport;
        this.customizer = customizer;
        this.switchoverListener = switchoverListener;
        this.keeper = keeper;
        this.role = new RoleView(settings, keeper, this);
    }

    /** Assembles the standby application on the role thread and waits for it. */
    void standBy() throws InterruptedException, ExecutionException {
        roleThread.submit(this::prepareStandby).get();
    }

    @Override
    public void acquired(LeaseFence f, Switchover s) {
        lastSwitchover = s;
        roleThread.execute(() -> activate(f, s));
    }

    @Override
    public void lost(LeaseFence f, String why) {
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

    @Override
    public long publishedThrough(long now) {
        long through = now;
        for (Sink s : activeSinks) {
            long t = s.publishedThroughNanos();
            if (t >= 0 && t < through) {
                through = t;
            }
        }
        return through;
    }

    @Override
    public long handedOverNanos(long epoch) {
        SwitchoverGaps g = activeGaps;
        return g != null && g.epoch() == epoch ? g.handedOverNanos() : 0;
    }

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
            SwitchoverGaps gaps =
                    new SwitchoverGaps(s, tickers, app.sinks().sinks(), this::switchedOver);
            for (Sink sink : app.sinks().sinks()) {
                sink.fence(f);
            }
            activeGaps = gaps;
            t.arm(f, gaps);
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
            keeper.giveUp(f, "the application could not start: " + e.getMessage());
        }
    }

    /** A switchover's gaps are all on their way: it is the last one, and the listener is told. */
    private void switchedOver(Switchover complete) {
        lastSwitchover = complete;
        switchoverListener.accept(complete);
    }

    private void deactivate(LeaseFence f) {
        if (activeFence != f) {
            return;
        }
        closeActive();
        if (!stopping) {
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

    /**
     * The active application closed in order: the sockets first (already aborted), then the rest.
     */
    private void closeActive() {
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
    }

    /**
     * A clean stop: no activation from now on; the active application closed in order (sockets,
     * then sinks, while the lease still holds) and the standby one, on the role thread, waiting at
     * most a minute.
     */
    void retire() {
        stopping = true;
        try {
            roleThread
                    .submit(
                            () -> {
                                closeActive();
                                Tickmux s = standby;
                                standby = null;
                                if (s != null) {
                                    s.close();
                                }
                            })
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("gateway ha: stopping the application failed; continuing", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the role thread. */
    void close() {
        roleThread.shutdownNow();
    }

    /** The role every application assembled is given. */
    RoleView role() {
        return role;
    }

    /** The fence of the running application while it is active; {@code null} in standby. */
    LeaseFence activeFence() {
        return activeFence;
    }

    /** The application now: the active one, or the standby one. */
    Tickmux current() {
        return current;
    }

    /** The last switchover to this gateway; {@code null} before the first. */
    Switchover lastSwitchover() {
        return lastSwitchover;
    }
}
