package io.tickmux.core.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One managed connection: its definition, transport, {@link SubscriptionLedger}, state and
 * counters. As the transport's listener it hands events to the {@link Ingress} (no lock) and every
 * other callback to the {@link Lifecycle} (under the manager's lock).
 */
final class ManagedConnection implements TransportListener {

    final ConnectionDefinition def;
    final String id;
    private final Lifecycle lifecycle;
    private final Ingress ingress;
    TransportConnection transport;

    // ------------------------------------------------ guarded by the manager's lock
    final SubscriptionLedger ledger = new SubscriptionLedger();
    volatile ConnectionState state = ConnectionState.NEW;
    volatile String lastCause = "";
    boolean socketHeld;
    int attempt;

    /**
     * Whether a socket of it ever authenticated: a connect after that is a reconnect after a loss,
     * even when the loss (an eviction) did not count as a failed attempt.
     */
    boolean hadSession;

    long connectedAtMillis = -1;
    long messagesAtConnect;
    ScheduledFuture<?> scheduledConnect;
    volatile Map<String, Double> tickerRates = Map.of();

    // ------------------------------------------------ hot path, no lock
    final LongAdder messages = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();
    final DecayingRate rate;
    volatile long lastMessageMillis = -1;

    /** Event time of the last event delivered (the exchange's clock), for gap starts. */
    volatile long lastEventMillis = -1;

    volatile DistributionSummary lag;

    /** The current chunk's accepted events, for the sinks; read thread only, reused. */
    final List<MarketEvent> accepted = new ArrayList<>(16);

    final List<Meter> meters = new ArrayList<>();

    ManagedConnection(
            ConnectionDefinition def, Lifecycle lifecycle, Ingress ingress, double halfLifeNanos) {
        this.def = def;
        this.id = def.id();
        this.lifecycle = lifecycle;
        this.ingress = ingress;
        this.rate = new DecayingRate(halfLifeNanos);
    }

    /** Whether it can take a ticker now: routable and below capacity. Under the lock. */
    boolean hasRoom() {
        return state.isRoutable() && ledger.size() < def.capacity();
    }

    ConnectionView view(int tickerCount) {
        return new ConnectionView(
                id, def.name(), state, tickerCount, def.capacity(), tickerRates, def.tags());
    }

    ConnectionView view() {
        return view(ledger.size());
    }

    @Override
    public String toString() {
        return id;
    }

    // ------------------------------------------------ transport callbacks

    @Override
    public void onEvents(List<MarketEvent> events) {
        ingress.onEvents(this, events);
    }

    @Override
    public void onConnected() {
        lifecycle.connected(this);
    }

    @Override
    public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
        lifecycle.disconnected(this, reason, closeCode, detail);
    }

    @Override
    public void onAck(String symbol, boolean subscribed) {
        lifecycle.acked(this, symbol, subscribed);
    }

    @Override
    public void onRejected(String symbol, String reason) {
        lifecycle.refused(this, symbol, reason, false);
    }

    @Override
    public void onAckTimeout(String symbol, String detail) {
        lifecycle.refused(this, symbol, detail, true);
    }

    @Override
    public void onServerStatus(String status, String message) {
        lifecycle.serverStatus(this, status, message);
    }

    @Override
    public void onError(String kind, String detail) {
        lifecycle.transportError(this, kind, detail);
    }
}
