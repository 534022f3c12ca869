package io.tickmux.benchmarks;

import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The manager's per-event path (ticker lookup, counters, dispatch to the listener) for a frame of
 * 100 events, direct and queued, handed over in chunks of {@code chunk} events (8 is what the
 * Massive transport does; 100 is a whole frame in one call); and the routing lookup among 11,000
 * tickers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ManagerBenchmark {

    @Param({"direct", "queued"})
    String mode;

    @Param({"8", "100"})
    int chunk;

    private MultiConnectionManager manager;
    private TransportListener c1;
    private List<MarketEvent> batch;
    private List<List<MarketEvent>> chunks;
    private String[] symbols;
    private int next;
    private volatile Blackhole sink;
    private long seen; // events the listener saw before the sink was bound (the set-up check)

    @Setup(Level.Trial)
    public void setup() throws Exception {
        CapturingTransport transport = new CapturingTransport();
        manager =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core.dispatch { mode = "
                                                + mode
                                                + ", overflow = drop-oldest }"))
                        .transport(transport)
                        .tickListener(
                                e -> {
                                    Blackhole bh = sink;
                                    if (bh != null) {
                                        bh.consume(e);
                                    } else {
                                        seen++;
                                    }
                                })
                        .connection(ConnectionDefinition.of("c1"))
                        .connection(ConnectionDefinition.of("c2"))
                        .connection(ConnectionDefinition.of("c3"))
                        .build();
        symbols = new String[11_000];
        List<String> c1Tickers = new ArrayList<>();
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = "S" + i;
            if (i < 100) {
                c1Tickers.add(symbols[i]);
            }
        }
        manager.connectAll(Map.of("c1", c1Tickers), Duration.ofSeconds(10));
        for (int i = 100; i < symbols.length; i++) {
            manager.subscribeTicker(symbols[i]);
        }
        c1 = transport.listeners.get("c1");
        batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(
                    new Trade(
                            symbols[i],
                            4,
                            Integer.toString(i),
                            3,
                            100.0,
                            100,
                            null,
                            null,
                            System.currentTimeMillis(),
                            -1,
                            -1, // no sequence: a repeated sequence would be dropped as a repeat
                            -1,
                            -1));
        }
        chunks = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += chunk) {
            chunks.add(List.copyOf(batch.subList(from, Math.min(batch.size(), from + chunk))));
        }
        check();
    }

    private void check() {
        // The numbers must be for events delivered, not dropped on the way: the batch is sent
        // repeatedly, so it must not look like a repeat.
        if (mode.equals("direct")) {
            for (int lap = 1; lap <= 3; lap++) {
                c1.onEvents(batch);
                if (seen != 100L * lap) {
                    throw new IllegalStateException(
                            "a repeated batch delivered "
                                    + seen
                                    + " events after "
                                    + lap
                                    + " laps");
                }
            }
        }
    }

    @Setup(Level.Iteration)
    public void bind(Blackhole bh) {
        sink = bh;
    }

    @TearDown(Level.Trial)
    public void close() {
        manager.close();
    }

    /** One frame of 100 events through the manager to the listener; result is per event. */
    @Benchmark
    @OperationsPerInvocation(100)
    public void perEventOverhead() {
        List<List<MarketEvent>> cs = chunks;
        for (int i = 0; i < cs.size(); i++) {
            c1.onEvents(cs.get(i));
        }
    }

    /** Which connection holds a ticker, among 11,000: one concurrent-map read. */
    @Benchmark
    public Object routingLookup() {
        String s = symbols[next++ % symbols.length];
        return manager.connectionForTicker(s);
    }
}
