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
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first-copy-wins filter on the manager's per-event path. 100 critical tickers sit on two
 * connections and every frame of 100 trades arrives on both, the second copy of each dropped
 * ({@link #criticalBothCopies}); 100 ordinary tickers get the same frames once on one connection
 * ({@link #ordinaryOneCopy}), the baseline without a filter. Each trade id recurs only after the
 * filter has forgotten it, so every first copy is new and every second a duplicate, as in a real
 * overlap. Trades carry no sequence number, so the per-socket repeat check (a sequence compare)
 * stays out of both. Results are per event received, both copies counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DedupBenchmark {

    private static final int TICKERS = 100;
    private static final int FRAMES = 1024; // > dedup-capacity per ticker, so ids are new again

    private MultiConnectionManager manager;
    private TransportListener c1;
    private TransportListener c2;
    private List<List<MarketEvent>> critical;
    private List<List<MarketEvent>> ordinary;
    private int next;
    private final LongAdder delivered = new LongAdder();

    @Setup
    public void setup() throws Exception {
        CapturingTransport transport = new CapturingTransport();
        manager =
                MultiConnectionManager.builder()
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core { dispatch.mode = direct,"
                                                + " moves.dedup-capacity = 256 }"))
                        .transport(transport)
                        .tickListener(e -> delivered.increment())
                        .connection(ConnectionDefinition.of("c1"))
                        .connection(ConnectionDefinition.of("c2"))
                        .build();
        List<String> criticalSymbols = symbols("C");
        List<String> ordinarySymbols = symbols("O");
        List<String> all = new ArrayList<>(criticalSymbols);
        all.addAll(ordinarySymbols);
        manager.connectAll(Map.of("c1", all, "c2", List.of()), Duration.ofSeconds(10));
        for (String s : criticalSymbols) {
            if (!manager.setCritical(s, true)) {
                throw new IllegalStateException(s + " could not be made critical");
            }
        }
        c1 = transport.listeners.get("c1");
        c2 = transport.listeners.get("c2");
        critical = frames(criticalSymbols);
        ordinary = frames(ordinarySymbols);
        // The set-up must do what the numbers claim: a frame sent twice is delivered once.
        for (int lap = 0; lap < 2 * FRAMES; lap++) {
            long before = delivered.sum();
            criticalBothCopies();
            long got = delivered.sum() - before;
            if (got != TICKERS) {
                throw new IllegalStateException(
                        "frame " + lap + " sent twice delivered " + got + ", not " + TICKERS);
            }
        }
    }

    private static List<String> symbols(String prefix) {
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < TICKERS; i++) {
            symbols.add(prefix + i);
        }
        return symbols;
    }

    private static List<List<MarketEvent>> frames(List<String> symbols) {
        List<List<MarketEvent>> frames = new ArrayList<>(FRAMES);
        long now = System.currentTimeMillis();
        for (int f = 0; f < FRAMES; f++) {
            List<MarketEvent> frame = new ArrayList<>(symbols.size());
            for (String s : symbols) {
                frame.add(
                        new Trade(
                                s,
                                4,
                                Integer.toString(f),
                                3,
                                100.0,
                                100,
                                null,
                                null,
                                now + f,
                                -1,
                                -1,
                                -1,
                                -1));
            }
            frames.add(frame);
        }
        return frames;
    }

    @TearDown
    public void close() {
        manager.close();
    }

    /** One frame of 100 trades of critical tickers arriving on both connections. */
    @Benchmark
    @OperationsPerInvocation(2 * TICKERS)
    public void criticalBothCopies() {
        List<MarketEvent> frame = critical.get(next++ & (FRAMES - 1));
        c1.onEvents(frame);
        c2.onEvents(frame);
    }

    /** One frame of 100 trades of ordinary tickers arriving once: the baseline. */
    @Benchmark
    @OperationsPerInvocation(TICKERS)
    public void ordinaryOneCopy() {
        c1.onEvents(ordinary.get(next++ & (FRAMES - 1)));
    }
}
