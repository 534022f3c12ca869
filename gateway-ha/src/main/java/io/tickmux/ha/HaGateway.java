package io.tickmux.ha;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.tickmux.app.AppSettings;
import io.tickmux.app.GatewayRole;
import io.tickmux.app.Tickmux;
import io.tickmux.core.Catalogue;
import io.tickmux.ha.internal.NatsLease;
import io.tickmux.spi.config.TickmuxConfigException;
import java.util.List;
import java.util.Optional;
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
 *
 * <p>Its parts: {@code LeaseKeeper} acquires, renews and releases the lease and fires at its local
 * deadline, {@code Applications} switches the application between standby and active on the role
 * thread, {@code SwitchoverGaps} publishes one activation's gaps, {@code RoleView} is the role the
 * health server shows.
 */
public final class HaGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HaGateway.class);

    private final HaSettings settings;
    private final LeaseKeeper keeper;
    private final Applications apps;
    private boolean started;
    private boolean stopping;

    private HaGateway(Builder b) {
        Config root = b.root;
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
        this.keeper = new LeaseKeeper(settings, new NatsLease(settings));
        this.apps =
                new Applications(
                        root,
                        settings,
                        catalogue.transport(AppSettings.from(root).transport()),
                        b.customizer,
                        b.switchoverListener,
                        keeper);
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
        if (started || stopping) {
            return;
        }
        keeper.open();
        apps.standBy();
        keeper.start(apps);
        started = true;
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

    /**
     * @return this gateway's role, as the health server shows it
     */
    public GatewayRole role() {
        return apps.role();
    }

    /**
     * @return whether this gateway holds a valid lease now
     */
    public boolean active() {
        return apps.role().active();
    }

    /**
     * @return the epoch of the lease this gateway holds, or of the holder it last saw
     */
    public long epoch() {
        return keeper.holderEpoch();
    }

    /**
     * @return the last switchover to this gateway
     */
    public Optional<Switchover> lastSwitchover() {
        return Optional.ofNullable(apps.lastSwitchover());
    }

    /**
     * @return the application now: the active one, or the standby one
     */
    public Tickmux application() {
        return apps.current();
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
        keeper.stopAcquiring();
        apps.retire(); // while the lease is still renewed
        keeper.stop();
        apps.close();
        keeper.close();
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
