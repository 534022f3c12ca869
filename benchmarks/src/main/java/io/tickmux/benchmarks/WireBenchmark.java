package io.tickmux.benchmarks;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import io.tickmux.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
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

/**
 * What the bus wire format costs per event, on the sink's publishing thread (encode and message id)
 * and on a consumer's delivery thread (decode): 1,024 events, 70% quotes and 30% trades over 100
 * tickers, each benchmark call one event. The set-up prints the average encoded size, and checks
 * that every event decodes back to itself, so the numbers are for a correct round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireBenchmark {

    private static final int EVENTS = 1024;
    private static final long T0 = 1_767_366_000_000L;

    private final WireWriter writer = new WireWriter();
    private final WireReader reader = new WireReader();
    private final List<MarketEvent> events = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();
    private int next;

    @Setup
    public void setup() {
        long bytes = 0;
        for (int i = 0; i < EVENTS; i++) {
            String ticker = "T" + (i % 100);
            MarketEvent e =
                    i % 10 < 7
                            ? MockEvents.quote(ticker, i, T0 + i)
                            : MockEvents.trade(ticker, i, T0 + i);
            byte[] b = writer.market(e, "connection_1", T0 * 1_000_000L + i);
            WireMessage back = reader.read(b);
            if (!(back instanceof WireMessage.Market m) || !m.event().equals(e)) {
                throw new IllegalStateException("round trip changed " + e + " into " + back);
            }
            events.add(e);
            encoded.add(b);
            bytes += b.length;
        }
        System.out.printf(
                "%nwire: %.0f bytes per event on average (70%% quotes)%n", bytes / (double) EVENTS);
    }

    private int index() {
        int i = next;
        next = (i + 1) & (EVENTS - 1);
        return i;
    }

    /** Encoding one event to its JSON body, as the sinks do. */
    @Benchmark
    public byte[] encode() {
        return writer.market(events.get(index()), "connection_1", 1L);
    }

    /** The deterministic message id (Nats-Msg-Id, the Redis entry's id field). */
    @Benchmark
    public String messageId() {
        return WireFormat.messageId(events.get(index()));
    }

    /** Decoding one body back into the event, as a consumer does. */
    @Benchmark
    public WireMessage decode() {
        return reader.read(encoded.get(index()));
    }
}
