package io.tickmux.core.internal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tickmux.routing.ConnectionState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The manager's meters: registered once for the manager and once per connection, removed on close.
 */
final class ManagerMeters {

    private final MeterRegistry registry;
    private final List<Meter> global = new ArrayList<>();

    ManagerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void registerGlobal(
            ManagerState m,
            Ingress ingress,
            Dispatcher dispatcher,
            ListenerInvoker invoker,
            GapTracker gaps,
            Sampler sampler,
            String overflowPolicy) {
        global.add(
                Gauge.builder("tickmux.tickers", m.tickers, Map::size)
                        .description("Tickers subscribed across all connections")
                        .register(registry));
        global.add(
                Gauge.builder("tickmux.dispatch.queue.depth", dispatcher, Dispatcher::queueDepth)
                        .description("Events waiting in the dispatch queue")
                        .register(registry));
        global.add(
                FunctionCounter.builder("tickmux.dispatch.dropped", dispatcher, Dispatcher::dropped)
                        .description("Events dropped by the dispatch overflow policy")
                        .tag("policy", overflowPolicy)
                        .register(registry));
        global.add(
                FunctionCounter.builder("tickmux.listener.errors", invoker, ListenerInvoker::errors)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "tick")
                        .register(registry));
        global.add(
                FunctionCounter.builder(
                                "tickmux.listener.errors", m.status, StatusPublisher::errors)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "status")
                        .register(registry));
        global.add(
                FunctionCounter.builder(
                                "tickmux.listener.errors", ingress.sinkErrors, LongAdder::sum)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "sink")
                        .register(registry));
        global.add(
                FunctionCounter.builder(
                                "tickmux.status.dropped", m.status, StatusPublisher::dropped)
                        .description("Status events dropped because the status queue was full")
                        .register(registry));
        adder("tickmux.events", ingress.total, "Market events received across all connections");
        global.add(
                FunctionCounter.builder(
                                "tickmux.events.delivered", invoker, ListenerInvoker::delivered)
                        .description(
                                "Market events the tick listener accepted (received, minus"
                                        + " repeats, copies, unwanted, dropped and those it threw"
                                        + " on)")
                        .register(registry));
        adder(
                "tickmux.dedup.dropped",
                ingress.duplicates,
                "Copies dropped: the second copy while a ticker is on two sockets, or an exact"
                        + " repeat of a recent sequence number on one");
        adder(
                "tickmux.events.out.of.order",
                ingress.outOfOrder,
                "Trades and quotes that arrived below the ticker's highest sequence (delivered)");
        adder(
                "tickmux.events.unwanted",
                ingress.unwanted,
                "Events for tickers no longer subscribed (dropped)");
        global.add(
                Gauge.builder("tickmux.tickers.stale", sampler, Sampler::staleTickers)
                        .description("Tickers silent much longer than their own rate predicts")
                        .register(registry));
        counter(
                "tickmux.gaps",
                gaps.counter(),
                "Spans in which a ticker was not covered, reported as Gap events");
        counter(
                "tickmux.failovers",
                m.failovers,
                "Failovers: a lost connection's tickers re-homed on others");
        counter(
                "tickmux.subscriptions.retries",
                m.ackRetries,
                "Subscriptions sent again after their ack timed out");
        counter(
                "tickmux.subscriptions.unsubscribe.timeouts",
                m.unsubscribeTimeouts,
                "Unsubscribes given up because no ack came in time");
        counter(
                "tickmux.rebalance.auto",
                sampler.autoRebalances,
                "Automatic rebalances run by the health check");
        counter(
                "tickmux.rebalance.moves",
                sampler.autoMoves,
                "Tickers moved by automatic rebalances");
        global.add(
                Gauge.builder("tickmux.imbalance", sampler, s -> s.lastImbalance)
                        .description("The router's imbalance measure at the last health check")
                        .register(registry));
    }

    private void adder(String name, LongAdder a, String description) {
        global.add(
                FunctionCounter.builder(name, a, LongAdder::sum)
                        .description(description)
                        .register(registry));
    }

    private void counter(String name, AtomicLong a, String description) {
        global.add(
                FunctionCounter.builder(name, a, AtomicLong::get)
                        .description(description)
                        .register(registry));
    }

    void register(ManagedConnection c, Clock clock) {
        Tags tags = Tags.of("connection", c.id);
        List<Meter> meters = c.meters;
        c.lag =
                DistributionSummary.builder("tickmux.connection.lag")
                        .description("Receive time minus event time of each frame's last event")
                        .baseUnit("milliseconds")
                        .publishPercentiles(0.5, 0.99)
                        .tags(tags)
                        .register(registry);
        meters.add(c.lag);
        meters.add(
                FunctionCounter.builder("tickmux.connection.messages", c.messages, LongAdder::sum)
                        .description("Market events received on the connection")
                        .tags(tags)
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.connection.errors", c.errors, LongAdder::sum)
                        .description(
                                "Errors on the connection: failed connects, refusals, bad frames")
                        .tags(tags)
                        .register(registry));
        meters.add(
                FunctionCounter.builder(
                                "tickmux.connection.reconnects", c.reconnects, AtomicLong::get)
                        .description("Reconnect attempts")
                        .tags(tags)
                        .register(registry));
        meters.add(
                FunctionCounter.builder(
                                "tickmux.connection.evictions", c.evictions, AtomicLong::get)
                        .description(
                                "Evictions by the server for exceeding the account connection limit")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder("tickmux.connection.tickers", c, x -> x.ledger.size())
                        .description("Tickers assigned to the connection")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder("tickmux.connection.pending.acks", c, x -> x.ledger.pendingCount())
                        .description("Subscription changes sent and not yet acknowledged")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder("tickmux.connection.refused", c, x -> x.ledger.refused().size())
                        .description("Tickers the server refused on the connection's socket")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder(
                                "tickmux.connection.up",
                                c,
                                x -> x.state == ConnectionState.CONNECTED ? 1 : 0)
                        .description("1 when connected and authenticated, else 0")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder("tickmux.connection.state", c, x -> x.state.ordinal())
                        .description(
                                "State code: 0 new, 1 connecting, 2 connected, 3 reconnecting,"
                                        + " 4 cooldown, 5 failed, 6 closed")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder("tickmux.connection.message.rate", c.rate, DecayingRate::perSecond)
                        .description("Decaying average of market events per second")
                        .tags(tags)
                        .register(registry));
        meters.add(
                Gauge.builder(
                                "tickmux.connection.last.message.age",
                                c,
                                x ->
                                        x.lastMessageMillis < 0
                                                ? Double.NaN
                                                : (clock.millis() - x.lastMessageMillis) / 1000.0)
                        .description("Seconds since the last market event")
                        .baseUnit("seconds")
                        .tags(tags)
                        .register(registry));
    }

    void remove(ManagedConnection c) {
        for (Meter x : c.meters) {
            registry.remove(x);
        }
        c.meters.clear();
    }

    void removeGlobal() {
        for (Meter x : global) {
            registry.remove(x);
        }
        global.clear();
    }
}
