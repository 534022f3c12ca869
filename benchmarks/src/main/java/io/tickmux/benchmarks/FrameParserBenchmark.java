package io.tickmux.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.massive.internal.FrameParser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing of Massive frames of 1, 10 and 100 mixed events (trades, quotes, second bars), by the
 * Massive transport's parser (which builds an event record for each) and, as the baseline, by the
 * bare client's loop (Jackson streaming, every value read, no records built).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameParserBenchmark {

    @Param({"1", "10", "100"})
    int events;

    private String frame;
    private FrameParser parser;
    private final BareParse bare = new BareParse();

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                sb.append(',');
            }
            switch (i % 3) {
                case 0 ->
                        sb.append("{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"5096")
                                .append(i)
                                .append(
                                        "\",\"x\":10,\"p\":161.87,\"s\":300,\"c\":[14,41],\"t\":1651684192462,\"q\":4009402,\"z\":3}");
                case 1 ->
                        sb.append(
                                "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":4,\"bp\":114.125,\"bs\":100,\"ax\":7,"
                                        + "\"ap\":114.128,\"as\":160,\"c\":0,\"i\":[604],\"t\":1536036818784,\"q\":50385480,\"z\":3}");
                default ->
                        sb.append(
                                "{\"ev\":\"A\",\"sym\":\"FCX\",\"v\":4989,\"av\":4332125,\"op\":75.98,"
                                        + "\"vw\":78.0894,\"o\":78.1,\"c\":78.08,\"h\":78.125,\"l\":78.07,\"a\":76.8404,\"z\":62,"
                                        + "\"s\":1788877043000,\"e\":1788877044000}");
            }
        }
        frame = sb.append(']').toString();
        parser = new FrameParser(new JsonFactory());
    }

    /** One frame; divide by the event count for the cost per event. */
    @Benchmark
    public void parseFrame(Blackhole bh) throws IOException {
        parser.parse(
                frame,
                new FrameParser.Sink() {
                    @Override
                    public void event(MarketEvent event) {
                        bh.consume(event);
                    }

                    @Override
                    public void status(String status, String message) {
                        bh.consume(status);
                    }

                    @Override
                    public void skipped(String kind, String detail) {
                        bh.consume(kind);
                    }
                });
    }

    /** The baseline: the same frame read value by value, as the bare client does. */
    @Benchmark
    public int bareParse() throws IOException {
        return bare.parse(frame, q -> {});
    }
}
