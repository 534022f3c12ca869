package io.tickmux.benchmarks;

import io.tickmux.routers.roundrobin.RoundRobinRoutingStrategy;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.TickerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** A round-robin plan for 11,000 tickers all on one of three connections. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RebalanceBenchmark {

    private final RoundRobinRoutingStrategy router = new RoundRobinRoutingStrategy();
    private Map<String, List<TickerView>> current;
    private List<ConnectionView> pool;

    @Setup
    public void setup() {
        List<TickerView> all = new ArrayList<>();
        for (int i = 0; i < 11_000; i++) {
            all.add(TickerView.of("S" + i));
        }
        current = Map.of("c1", all, "c2", List.of(), "c3", List.of());
        pool =
                List.of(
                        new ConnectionView(
                                "c1",
                                "c1",
                                ConnectionState.CONNECTED,
                                11_000,
                                50_000,
                                Map.of(),
                                Set.of()),
                        new ConnectionView(
                                "c2",
                                "c2",
                                ConnectionState.CONNECTED,
                                0,
                                50_000,
                                Map.of(),
                                Set.of()),
                        new ConnectionView(
                                "c3",
                                "c3",
                                ConnectionState.CONNECTED,
                                0,
                                50_000,
                                Map.of(),
                                Set.of()));
    }

    @Benchmark
    public Object plan11000() {
        return router.plan(current, pool);
    }
}
