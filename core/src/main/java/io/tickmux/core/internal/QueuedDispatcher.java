package io.tickmux.core.internal;

import io.tickmux.core.OverflowPolicy;
import io.tickmux.spi.event.MarketEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bounded queue drained by one thread ({@code tickmux-dispatch}). For {@link
 * OverflowPolicy#BLOCK}, {@link OverflowPolicy#DROP_OLDEST} and {@link OverflowPolicy#DROP_NEWEST}
 * the queue holds events and allocates nothing per event; {@link OverflowPolicy#CONFLATE} is a
 * separate class, {@link ConflatingDispatcher}.
 */
public final class QueuedDispatcher implements Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(QueuedDispatcher.class);

    private final ArrayBlockingQueue<MarketEvent> queue;
    private final OverflowPolicy policy;
    private final ListenerInvoker invoker;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param capacity queue bound
     * @param policy BLOCK, DROP_OLDEST or DROP_NEWEST
     * @param invoker calls the listener
     * @param threads names the dispatch thread
     */
    public QueuedDispatcher(
            int capacity, OverflowPolicy policy, ListenerInvoker invoker, ThreadFactory threads) {
        if (policy == OverflowPolicy.CONFLATE) {
            throw new IllegalArgumentException("use ConflatingDispatcher for conflate");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.policy = policy;
        this.invoker = invoker;
        this.thread = threads.newThread(this::drain);
        this.thread.start();
    }

    @Override
    public void dispatch(MarketEvent event) {
        switch (policy) {
            case BLOCK -> {
                try {
                    while (running && !queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
                        // wait for room; re-check running so close() never strands a read thread
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    dropped.increment();
                }
            }
            case DROP_NEWEST -> {
                if (!queue.offer(event)) {
                    dropped.increment();
                }
            }
            case DROP_OLDEST -> {
                while (!queue.offer(event)) {
                    if (queue.poll() != null) {
                        dropped.increment();
                    }
                }
            }
            case CONFLATE -> throw new AssertionError("not reachable");
        }
    }

    private void drain() {
        try {
            while (running || !queue.isEmpty()) {
                MarketEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e != null) {
                    invoker.deliver(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("dispatch thread stopped; {} events left undelivered", queue.size());
    }

    @Override
    public int queueDepth() {
        return queue.size();
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
            LOG.warn(
                    "dispatch thread did not stop within 5s (a tick listener is blocked); {}"
                            + " events left undelivered",
                    queue.size());
            thread.interrupt();
        }
    }
}
