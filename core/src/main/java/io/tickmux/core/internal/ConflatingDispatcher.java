package io.tickmux.core.internal;

import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps only the latest state per ticker and kind while the listener is behind: quotes, aggregates,
 * fair market values, LULD bands and imbalances are states, so a newer one replaces the one not yet
 * delivered (counted as dropped). Trades are prints, not states: they are never conflated; they
 * queue in order, up to {@code capacity} of them, and a full trade queue makes the read thread wait
 * (as {@code block} does), so no print is lost.
 *
 * <p>Bounds: each ticker has one slot (allocated on its first event, removed by {@link #forget}
 * when it is unsubscribed), and a slot is queued at most once at a time, so the queue holds at most
 * one entry per ticker plus {@code capacity} trades. A slot with news is always queued, so the
 * latest state of a ticker that then goes quiet is still delivered.
 */
public final class ConflatingDispatcher implements Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConflatingDispatcher.class);
    private static final EventKind[] KINDS = EventKind.values();

    private static final class Slot {
        final AtomicReferenceArray<MarketEvent> latest = new AtomicReferenceArray<>(KINDS.length);
        final AtomicBoolean queued = new AtomicBoolean();
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final Semaphore tradeRoom;
    private final ListenerInvoker invoker;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param capacity most trades queued at once
     * @param invoker calls the listener
     * @param threads names the dispatch thread
     */
    public ConflatingDispatcher(int capacity, ListenerInvoker invoker, ThreadFactory threads) {
        this.tradeRoom = new Semaphore(capacity);
        this.invoker = invoker;
        this.thread = threads.newThread(this::drain);
        this.thread.start();
    }

    @Override
    public void dispatch(MarketEvent event) {
        if (event.kind() == EventKind.TRADE) {
            try {
                tradeRoom.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dropped.increment();
                return;
            }
            ready.add(event);
            return;
        }
        Slot slot = slots.get(event.symbol());
        if (slot == null) {
            slot = slots.computeIfAbsent(event.symbol(), s -> new Slot());
        }
        if (slot.latest.getAndSet(event.kind().ordinal(), event) != null) {
            dropped.increment();
        }
        if (slot.queued.compareAndSet(false, true)) {
            ready.add(slot);
        }
    }

    @Override
    public void forget(String symbol) {
        slots.remove(symbol);
    }

    private void drain() {
        try {
            while (running || !ready.isEmpty()) {
                Object next = ready.poll(100, TimeUnit.MILLISECONDS);
                if (next instanceof MarketEvent trade) {
                    tradeRoom.release();
                    invoker.deliver(trade);
                } else if (next instanceof Slot slot) {
                    slot.queued.set(false);
                    for (int k = 0; k < KINDS.length; k++) {
                        MarketEvent e = slot.latest.getAndSet(k, null);
                        if (e != null) {
                            invoker.deliver(e);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int queueDepth() {
        return ready.size();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    /** Tickers with a slot now, for tests: at most the tickers subscribed. */
    int slots() {
        return slots.size();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("dispatch thread did not stop within 5s (a tick listener is blocked)");
            thread.interrupt();
        }
    }
}
