package io.tickmux.ha;

import io.tickmux.ha.internal.FencedTransport;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Sink;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switchover gaps of one activation: for each ticker, at its first subscription acknowledgement
 * on this gateway, a gap from the switchover's start to that acknowledgement goes to every sink,
 * cause naming both gateways and epochs. Once every expected ticker has its gap the switchover is
 * complete: the hand-over time is kept (the lease's published-through mark waits for it) and the
 * completed switchover is passed on. Called on read threads; never blocks.
 */
final class SwitchoverGaps implements FencedTransport.AckObserver {

    private static final Logger LOG = LoggerFactory.getLogger(HaGateway.class);

    private final Switchover s;
    private final Set<String> expected;
    private final List<Sink> sinks;
    private final Consumer<Switchover> completed;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final AtomicInteger remaining;
    private final String cause;
    private volatile long handedOverNanos;

    /**
     * @param s the switchover, not streaming yet
     * @param expected the tickers this gateway subscribes
     * @param sinks the active application's sinks
     * @param completed told once, with the switchover streaming, after the last expected ticker's
     *     gap went to the sinks; may throw (logged)
     */
    SwitchoverGaps(
            Switchover s, Set<String> expected, List<Sink> sinks, Consumer<Switchover> completed) {
        this.s = s;
        this.expected = expected;
        this.sinks = sinks;
        this.completed = completed;
        this.remaining = new AtomicInteger(expected.size());
        this.cause = cause(s);
    }

    /**
     * The gap's cause, e.g. {@code switchover: gateway gw-a (epoch 12) -> gateway gw-b (epoch 15)}.
     */
    static String cause(Switchover s) {
        return "switchover: gateway "
                + (s.from().isEmpty() ? "unknown" : s.from())
                + " (epoch "
                + s.fromEpoch()
                + ") -> gateway "
                + s.to()
                + " (epoch "
                + s.toEpoch()
                + ")";
    }

    @Override
    public void acknowledged(String connectionId, String symbol) {
        if (!done.add(symbol)) {
            return;
        }
        Instant now = Instant.now();
        StatusEvent.Gap gap =
                new StatusEvent.Gap(symbol, connectionId, s.gapFrom(), now, cause, now);
        for (Sink sink : sinks) {
            sink.onStatus(gap);
        }
        if (expected.contains(symbol) && remaining.decrementAndGet() == 0) {
            handedOverNanos = UnixNanos.now(); // after the last gap went to the sinks
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
            LOG.info(
                    "gateway ha: switchover to {} (epoch {}) complete: {} tickers streaming,"
                            + " {} ms after the previous holder's last renewal",
                    s.to(),
                    s.toEpoch(),
                    expected.size(),
                    complete.took().toMillis());
            try {
                completed.accept(complete);
            } catch (RuntimeException e) {
                LOG.warn("gateway ha: a switchover listener threw; continuing", e);
            }
        }
    }

    /** The epoch these gaps switch over to. */
    long epoch() {
        return s.toEpoch();
    }

    /** When the last expected ticker's gap went to the sinks, Unix ns; 0 until then. */
    long handedOverNanos() {
        return handedOverNanos;
    }
}
