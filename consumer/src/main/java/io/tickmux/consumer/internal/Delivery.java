package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.wire.WireMessage;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both consumers do with a message once it is read: hand it to the listeners when it is for a
 * wanted ticker, and count what became of every message.
 *
 * <p>With tickers wanted, a market event reaches the tick listener only for one of them, and a gap
 * reaches the status listener only for one of them; every other status event always does. With none
 * wanted, everything does. The listeners are called on the caller's thread (the consumer's delivery
 * thread); the counters may be read from any thread.
 */
public final class Delivery {

    private final TickListener ticks;
    private final StatusListener status;
    private final Set<String> wanted;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /**
     * @param ticks receives market events
     * @param status receives gaps and other status events
     * @param wanted the tickers wanted; empty for every ticker
     */
    public Delivery(TickListener ticks, StatusListener status, Collection<String> wanted) {
        this.ticks = requireNonNull(ticks, "ticks is null");
        this.status = requireNonNull(status, "status is null");
        this.wanted = new HashSet<>(wanted);
    }

    /**
     * Hands a message to its listener when it is wanted, and counts it as delivered once the
     * listener returned.
     *
     * @param message the message read
     * @throws RuntimeException what the listener threw (not counted here: the caller counts and
     *     logs it with where the message came from)
     */
    public void deliver(WireMessage message) {
        if (message instanceof WireMessage.Market mk) {
            if (wanted.isEmpty() || wanted.contains(mk.event().symbol())) {
                ticks.onTick(mk.event());
                delivered.incrementAndGet();
            }
        } else {
            StatusEvent e = ((WireMessage.Status) message).event();
            if (wanted.isEmpty()
                    || !(e instanceof StatusEvent.Gap g)
                    || wanted.contains(g.symbol())) {
                status.onStatus(e);
                delivered.incrementAndGet();
            }
        }
    }

    /** Counts a message dropped as already handled (or, from Redis, empty). */
    public void countSkipped() {
        skipped.incrementAndGet();
    }

    /** Counts an unreadable message, a listener exception, a failed read or checkpoint. */
    public void countError() {
        errors.incrementAndGet();
    }

    /**
     * @return events and status events handed to the listeners
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * @return messages dropped as already handled (or empty)
     */
    public long skipped() {
        return skipped.get();
    }

    /**
     * @return unreadable messages, listener exceptions, read and checkpoint failures
     */
    public long errors() {
        return errors.get();
    }
}
