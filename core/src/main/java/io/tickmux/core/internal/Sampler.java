package io.tickmux.core.internal;

import io.tickmux.core.RebalanceResult;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@code tickmux-scheduler} thread's periodic work: message rates per ticker and connection,
 * staleness, and the health check's automatic rebalance. Rates are sampled without the lock; the
 * rest takes it briefly.
 */
final class Sampler {

    private final ManagerState m;
    private final Function<String, RebalanceResult> rebalance;
    final AtomicLong autoRebalances = new AtomicLong();
    final AtomicLong autoMoves = new AtomicLong();
    volatile double lastImbalance;
    private volatile int staleTickers;

    Sampler(ManagerState m, Function<String, RebalanceResult> rebalance) {
        this.m = m;
        this.rebalance = rebalance;
    }

    int staleTickers() {
        return staleTickers;
    }

    void sampleRates() {
        long t = System.nanoTime();
        try {
            for (TickerEntry e : m.tickers.values()) {
                long count = e.messages.sum();
                e.rate.sample(count, t);
                if (count != e.lastSampledCount) {
                    e.lastSampledCount = count;
                    e.activeRate = e.rate.perSecond();
                }
            }
            synchronized (m.lock) {
                for (ManagedConnection c : m.connections.values()) {
                    c.rate.sample(c.messages.sum(), t);
                    Map<String, Double> rates = new HashMap<>();
                    for (String sym : c.ledger.desired()) {
                        TickerEntry e = m.tickers.get(sym);
                        if (e != null && e.rate.perSecond() > 0) {
                            rates.put(sym, e.rate.perSecond());
                        }
                    }
                    c.tickerRates = Map.copyOf(rates);
                }
            }
        } catch (RuntimeException e) {
            ManagerState.LOG.error("rate sampling failed; rates may be stale", e);
        }
    }

    /** The periodic health check: staleness, then an automatic rebalance when due. */
    void healthCheck() {
        try {
            checkStaleness();
            if (!m.settings.autoRebalance()) {
                return;
            }
            double imbalance;
            synchronized (m.lock) {
                if (m.closed) {
                    return;
                }
                imbalance = m.router.imbalance(m.views());
            }
            lastImbalance = imbalance;
            if (imbalance > m.settings.rebalanceThreshold()) {
                RebalanceResult r =
                        rebalance.apply(
                                String.format(
                                        Locale.ROOT,
                                        "auto-rebalance: imbalance %.2f above %.2f",
                                        imbalance,
                                        m.settings.rebalanceThreshold()));
                autoRebalances.incrementAndGet();
                autoMoves.addAndGet(r.moves().size());
            }
        } catch (RuntimeException e) {
            ManagerState.LOG.error("health check failed; it runs again at the next interval", e);
        }
    }

    /**
     * Flags tickers silent much longer than their own rate predicts, during market hours; clears
     * the flag when events resume. Only tickers streaming on a connected socket count: a socket
     * that is down is reported by gaps instead.
     */
    private void checkStaleness() {
        if (!m.settings.stalenessEnabled()) {
            return;
        }
        Instant at = m.clock.instant();
        long now = at.toEpochMilli();
        boolean open = m.settings.marketHours().isOpen(at);
        long minSilence = m.settings.stalenessMinSilence().toMillis();
        int count = 0;
        synchronized (m.lock) {
            if (m.closed) {
                return;
            }
            for (TickerEntry e : m.tickers.values()) {
                ManagedConnection o = e.owner;
                if (!open || o.state != ConnectionState.CONNECTED || !o.ledger.isAcked(e.symbol)) {
                    e.stale = false;
                    continue;
                }
                double rate = e.activeRate;
                long expected = rate > 0 ? (long) (1000.0 / rate) : 0;
                long threshold =
                        Math.max(minSilence, (long) (m.settings.stalenessFactor() * expected));
                long silent = now - e.lastEventMillis;
                if (silent > threshold) {
                    count++;
                    if (!e.stale) {
                        e.stale = true;
                        m.publish(
                                new StatusEvent.Stale(
                                        e.symbol,
                                        o.id,
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
}
