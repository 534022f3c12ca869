package io.tickmux.core.internal;

import io.tickmux.core.CoreSettings;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.spi.event.StatusEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the manager's parts share: the one lock, the connections, the ticker map and the services
 * every part uses. Everything mutable here is guarded by {@link #lock}, except {@link #tickers} (a
 * concurrent map the per-event path reads) and the counters.
 */
final class ManagerState {

    static final Logger LOG = LoggerFactory.getLogger("io.tickmux.core.Manager");

    final Object lock = new Object();
    final CoreSettings settings;
    final Clock clock;
    final RoutingStrategy router;
    final StatusPublisher status;
    final ScheduledExecutorService scheduler;
    final double halfLifeNanos;

    /** Connections by id, in definition order. */
    final LinkedHashMap<String, ManagedConnection> connections = new LinkedHashMap<>();

    /** Wanted tickers. Written under the lock; read by the per-event path without it. */
    final ConcurrentHashMap<String, TickerEntry> tickers = new ConcurrentHashMap<>();

    /** Removed connections whose socket's close is not yet confirmed (they still hold a slot). */
    final Set<ManagedConnection> retiring = new HashSet<>();

    /** The critical tickers (held on two connections); few. */
    final Set<TickerEntry> critical = new LinkedHashSet<>();

    final AtomicLong failovers = new AtomicLong();
    final AtomicLong ackRetries = new AtomicLong();
    final AtomicLong unsubscribeTimeouts = new AtomicLong();
    final List<String> notes = new CopyOnWriteArrayList<>();

    /** Notes by their source's key: one each, replaced rather than appended. */
    final Map<String, String> keyedNotes = new ConcurrentSkipListMap<>();

    boolean started;
    boolean closed;

    ManagerState(
            CoreSettings settings,
            Clock clock,
            RoutingStrategy router,
            StatusPublisher status,
            ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.clock = clock;
        this.router = router;
        this.status = status;
        this.scheduler = scheduler;
        this.halfLifeNanos = settings.rateHalfLife().toNanos();
    }

    void publish(StatusEvent e) {
        status.publish(e);
    }

    Instant now() {
        return clock.instant();
    }

    /** Every connection as the router sees it. */
    List<ConnectionView> views() {
        List<ConnectionView> v = new ArrayList<>(connections.size());
        for (ManagedConnection c : connections.values()) {
            v.add(c.view());
        }
        return v;
    }

    /** Whether any connection is connected now. */
    boolean anyConnected() {
        for (ManagedConnection c : connections.values()) {
            if (c.state == ConnectionState.CONNECTED) {
                return true;
            }
        }
        return false;
    }
}
