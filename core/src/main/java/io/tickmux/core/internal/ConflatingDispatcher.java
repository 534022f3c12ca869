package io.tickmux.core.internal;

import io.tickmux.core.event.EventKind;
import io.tickmux.core.event.MarketEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps only the latest event per ticker and kind while the listener is behind. One slot per ticker
 * (allocated once); the queue holds slots that have something new, so its bound is the number of
 * distinct tickers it can track at once. A slot that cannot be queued because the queue is full
 * keeps its latest events and is retried on the next event for that ticker, so nothing but
 * superseded events is lost.
 */
public final class ConflatingDispatcher implements Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConflatingDispatcher.class);
    private static final EventKind[] KINDS = EventKind.values();

    private static final class Slot {
        final AtomicReferenceArray<MarketEvent> latest = new AtomicReferenceArray<>(KINDS.length);
        final AtomicBoolean queued = new AtomicBoolean();
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Slot> ready;
    private final ListenerInvoker invoker;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param capacity most tickers with pending events at once
     * @param invoker calls the listener
     * @param threads names the dispatch thread
     */
    public ConflatingDispatcher(int capacity, ListenerInvoker invoker, NamedThreadFactory threads) {
        this.ready = new ArrayBlockingQueue<>(capacity);
        this.invoker = invoker;
        this.thread = threads.newThread(this::drain);
        this.thread.start();
    }

    @Override
    public void dispatch(MarketEvent event) {
        Slot slot = slots.get(event.symbol());
        if (slot == null) {
            slot = slots.computeIfAbsent(event.symbol(), s -> new Slot());
        }
        if (slot.latest.getAndSet(event.kind().ordinal(), event) != null) {
            dropped.increment();
        }
        if (slot.queued.compareAndSet(false, true) && !ready.offer(slot)) {
            // Queue full: leave the slot un-queued so the next event for it tries again.
            slot.queued.set(false);
        }
    }

    private void drain() {
        try {
            while (running || !ready.isEmpty()) {
                Slot slot = ready.poll(100, TimeUnit.MILLISECONDS);
                if (slot == null) {
                    continue;
                }
                slot.queued.set(false);
                for (int k = 0; k < KINDS.length; k++) {
                    MarketEvent e = slot.latest.getAndSet(k, null);
                    if (e != null) {
                        invoker.deliver(e);
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
