package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tickmux.spi.backfill.BackfillHealth;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusEvent.Backfill.Outcome;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.sink.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands gap events to a {@link BackfillHook} on the bounded {@code tickmux-backfill} thread and
 * owns the delivery of what it recovers: drops what the listener already had live at the gap's
 * edges ({@link LiveEdges}), delivers the rest to {@link TickListener#onBackfill}, then publishes
 * the gap's {@link StatusEvent.Backfill}, counts it in the meters and keeps it for health.
 *
 * <p>Two gaps of one ticker back to back can share a millisecond (the first ends where the second
 * starts); the keys the first delivered in its last millisecond are kept per ticker so the second
 * does not deliver them again.
 */
public final class BackfillDispatcher implements StatusListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillDispatcher.class);

    /** Trades and quotes remembered per ticker for the edges. */
    static final int EDGE_CAPACITY = 64;

    private final BackfillHook hook;
    private final TickListener listener;
    private final Clock clock;
    private final Consumer<StatusEvent> publish;
    private final Predicate<String> wanted;
    private final LiveEdges edges;
    private final RateLimitedLog listenerLog;
    private final ThreadPoolExecutor executor;
    private final Map<String, Set<Object>> lastMillisDelivered = new ConcurrentHashMap<>();

    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder events = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder pages = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();
    private volatile StatusEvent.Backfill last;
    private long lastSweep; // status thread only

    /** How often the rings of tickers no longer subscribed are let go. */
    private static final long SWEEP_MILLIS = 60_000;

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Outcome, Counter> outcomeCounters = new EnumMap<>(Outcome.class);
    private final Timer duration;

    /**
     * @param hook the user's hook
     * @param capacity most gaps waiting
     * @param listener receives recovered events ({@link TickListener#onBackfill})
     * @param clock for the outcome's time
     * @param publish publishes the outcome to the status listeners
     * @param wanted whether a ticker is still subscribed
     * @param registry where the backfill meters go
     */
    public BackfillDispatcher(
            BackfillHook hook,
            int capacity,
            TickListener listener,
            Clock clock,
            Consumer<StatusEvent> publish,
            Predicate<String> wanted,
            MeterRegistry registry) {
        this.hook = hook;
        this.listener = listener;
        this.clock = clock;
        this.publish = publish;
        this.wanted = wanted;
        this.edges = new LiveEdges(EDGE_CAPACITY);
        this.listenerLog = new RateLimitedLog(LOG, clock, Duration.ofSeconds(10));
        this.registry = registry;
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
            Counter c =
                    Counter.builder("tickmux.backfill.gaps")
                            .description("Gaps a backfill hook worked on, by outcome")
                            .tag("outcome", kebab(o))
                            .register(registry);
            outcomeCounters.put(o, c);
            meters.add(c);
        }
        meters.add(
                FunctionCounter.builder("tickmux.backfill.events", events, LongAdder::sum)
                        .description("Recovered events delivered to the listener")
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.backfill.duplicates", duplicates, LongAdder::sum)
                        .description("Recovered events dropped because the listener had them live")
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.backfill.pages", pages, LongAdder::sum)
                        .description("Pages a backfill hook fetched")
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.backfill.failures", failures, AtomicLong::get)
                        .description("Backfills that threw (reported as unfilled)")
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.backfill.dropped", dropped, AtomicLong::get)
                        .description("Gaps dropped because the backfill queue was full")
                        .register(registry));
        meters.add(
                FunctionCounter.builder("tickmux.listener.errors", listenerErrors, LongAdder::sum)
                        .description("Exceptions thrown by the listener")
                        .tag("listener", "backfill")
                        .register(registry));
        this.duration =
                Timer.builder("tickmux.backfill.duration")
                        .description("How long a gap's backfill took, waiting included")
                        .register(registry);
        meters.add(duration);
        this.executor =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(capacity),
                        Threads.named("tickmux-backfill"),
                        (r, ex) -> {
                            if (ex.isShutdown()) {
                                return; // the manager is closing: nothing is filled any more
                            }
                            dropped.incrementAndGet();
                            LOG.warn(
                                    "backfill queue full: a gap was dropped and is reported"
                                            + " unfilled; the hook is too slow for the gaps");
                            if (r instanceof Job j) {
                                edges.unwatch(j.gap.symbol(), j.live);
                                report(
                                        j.gap,
                                        new BackfillHook.Result(
                                                Outcome.UNFILLED,
                                                0,
                                                "dropped: the backfill queue was full"),
                                        0,
                                        0,
                                        Duration.ZERO);
                            }
                        });
        meters.add(
                Gauge.builder("tickmux.backfill.queue", executor, e -> e.getQueue().size())
                        .description("Gaps waiting for the backfill hook")
                        .register(registry));
    }

    /**
     * @return the sink that remembers what the listener got live; add it to the manager's sinks
     */
    public EventSink edges() {
        return edges;
    }

    @Override
    public void onStatus(StatusEvent event) {
        long now = clock.millis();
        if (now - lastSweep >= SWEEP_MILLIS) {
            lastSweep = now;
            edges.retain(wanted); // the rings of tickers unsubscribed since
            lastMillisDelivered.keySet().removeIf(s -> !wanted.test(s));
        }
        if (event instanceof StatusEvent.Gap gap) {
            // Take the edges now, on the status thread, while they are still in the ring.
            Set<Object> live =
                    edges.watch(gap.symbol(), gap.from().toEpochMilli(), gap.to().toEpochMilli());
            executor.execute(new Job(gap, live));
        }
    }

    /** One gap's backfill. */
    private final class Job implements Runnable {
        final StatusEvent.Gap gap;
        final Set<Object> live;

        Job(StatusEvent.Gap gap, Set<Object> live) {
            this.gap = gap;
            this.live = live;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            Delivery d = new Delivery(gap, live);
            BackfillHook.Result result;
            try {
                result = hook.backfill(gap, d);
                if (result == null) {
                    result =
                            BackfillHook.Result.unfilled(
                                    "the hook returned no result (a bug in the hook)");
                }
            } catch (Exception | LinkageError | AssertionError e) {
                failures.incrementAndGet();
                LOG.warn(
                        "backfill of {} {}..{} failed; reported unfilled",
                        gap.symbol(),
                        gap.from(),
                        gap.to(),
                        e);
                result =
                        new BackfillHook.Result(
                                d.delivered > 0 ? Outcome.PARTLY_FILLED : Outcome.UNFILLED,
                                0,
                                "the hook failed: " + e.getClass().getSimpleName());
            } finally {
                edges.unwatch(gap.symbol(), live);
            }
            if (!d.lastMillis.isEmpty()) {
                lastMillisDelivered.put(gap.symbol(), d.lastMillis);
            }
            if (!wanted.test(gap.symbol())) {
                edges.forget(gap.symbol());
                lastMillisDelivered.remove(gap.symbol());
            }
            report(
                    gap,
                    result,
                    d.delivered,
                    d.duplicates,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** The manager's side of one gap. */
    private final class Delivery implements BackfillHook.Recovered {
        private final StatusEvent.Gap gap;
        private final Set<Object> live;
        private final Set<Object> delivered0 = new HashSet<>();
        private final Set<Object> before;
        private final long from;
        private final long to;
        final Set<Object> lastMillis = new HashSet<>();
        long delivered;
        long duplicates;

        Delivery(StatusEvent.Gap gap, Set<Object> live) {
            this.gap = gap;
            this.live = live;
            this.from = gap.from().toEpochMilli();
            this.to = gap.to().toEpochMilli();
            this.before = lastMillisDelivered.getOrDefault(gap.symbol(), Set.of());
        }

        @Override
        public int deliver(List<? extends MarketEvent> recovered) {
            int n = 0;
            for (MarketEvent e : recovered) {
                long t = e.timestampMillis();
                if (!e.symbol().equals(gap.symbol()) || t < from || t > to) {
                    continue;
                }
                Object key = LiveEdges.key(e);
                if (live.contains(key) || before.contains(key) || !delivered0.add(key)) {
                    duplicates++;
                    BackfillDispatcher.this.duplicates.increment();
                    continue;
                }
                if (t == to) {
                    lastMillis.add(key);
                }
                try {
                    listener.onBackfill(e, gap);
                } catch (RuntimeException | LinkageError | AssertionError x) {
                    listenerErrors.increment();
                    listenerLog.warn(
                            "tick listener threw on backfilled {} {}: the event is skipped;"
                                    + " fix the listener",
                            x,
                            e.kind(),
                            e.symbol());
                }
                n++;
                delivered++;
                events.increment();
            }
            return n;
        }

        @Override
        public boolean wanted() {
            return wanted.test(gap.symbol());
        }

        @Override
        public boolean streamed(EventKind kind) {
            return edges.streamed(gap.symbol(), kind);
        }
    }

    private void report(
            StatusEvent.Gap gap,
            BackfillHook.Result result,
            long delivered,
            long dups,
            Duration took) {
        Outcome outcome = result.outcome();
        StatusEvent.Backfill b =
                new StatusEvent.Backfill(
                        gap.symbol(),
                        gap.connectionId(),
                        gap.from(),
                        gap.to(),
                        outcome,
                        delivered,
                        dups,
                        result.pages(),
                        took,
                        result.detail(),
                        clock.instant());
        outcomeCounters.get(outcome).increment();
        pages.add(result.pages());
        duration.record(took);
        last = b;
        outcomes.get(outcome).increment(); // last: health counts it once the meters have it
        if (outcome == Outcome.FILLED) {
            LOG.info(
                    "backfill of {} {}..{}: filled, {} events ({} had arrived live), {} pages in"
                            + " {} ms",
                    gap.symbol(),
                    gap.from(),
                    gap.to(),
                    delivered,
                    dups,
                    result.pages(),
                    took.toMillis());
        } else {
            LOG.warn(
                    "backfill of {} {}..{}: {}, {} events, {} pages in {} ms: {}",
                    gap.symbol(),
                    gap.from(),
                    gap.to(),
                    kebab(outcome),
                    delivered,
                    result.pages(),
                    took.toMillis(),
                    result.detail());
        }
        publish.accept(b);
    }

    /**
     * @return the backfill's health
     */
    public BackfillHealth health() {
        return new BackfillHealth(
                true,
                outcomes.get(Outcome.FILLED).sum(),
                outcomes.get(Outcome.PARTLY_FILLED).sum(),
                outcomes.get(Outcome.UNFILLED).sum(),
                events.sum(),
                duplicates.sum(),
                pages.sum(),
                executor.getQueue().size(),
                last);
    }

    /**
     * @return backfills that threw
     */
    public long failures() {
        return failures.get();
    }

    /**
     * @return gaps dropped because the queue was full
     */
    public long dropped() {
        return dropped.get();
    }

    /**
     * @return exceptions the listener threw on backfilled events
     */
    public long listenerErrors() {
        return listenerErrors.sum();
    }

    /** Stops the hook (interrupted) and abandons the gaps still queued, with a count in the log. */
    @Override
    public void close() {
        int abandoned = executor.shutdownNow().size();
        if (abandoned > 0) {
            LOG.info("manager closed: {} gaps left unfilled in the backfill queue", abandoned);
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the backfill hook did not stop within 5s of an interrupt");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
