package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.tck.TransportHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the Massive transport hands a frame's events to its host: in wire order, in chunks of at most
 * {@code 8} while the frame is still being parsed (so the first event does not wait for the last to
 * be parsed), and, when a frame turns out malformed, every whole event before the fault.
 */
class FrameDeliveryTest {

    private final BlockingQueue<Object> calls = new LinkedBlockingQueue<>();
    private FakeMassiveServer server;
    private TransportHost host;
    private TransportConnection connection;

    @BeforeEach
    void connect() throws Exception {
        server = FakeMassiveServer.builder().build().start();
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \"" + server.url() + "\" }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        host = TransportHost.start(new MassiveTransportFactory(), root);
        connection =
                host.create(
                        new ConnectionSpec("c1", "c1", ConfigFactory.parseString("api-key = k")),
                        new Recorder());
        connection.connect();
        assertThat(next()).isEqualTo("connected");
        // the transport delivers only tickers it holds (events for others are dropped)
        connection.subscribe(List.of("AAPL"));
        assertThat(next()).isEqualTo("ack AAPL");
    }

    @AfterEach
    void close() {
        connection.close();
        host.close();
        server.close();
    }

    @Test
    void aFrameOf20EventsArrivesInChunksOf8InWireOrder() throws Exception {
        session().send("[" + trades(0, 20) + "]");

        List<Integer> sizes = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        while (sequences.size() < 20) {
            @SuppressWarnings("unchecked")
            List<MarketEvent> chunk = (List<MarketEvent>) next();
            sizes.add(chunk.size());
            chunk.forEach(e -> sequences.add(((io.tickmux.spi.event.Trade) e).sequence()));
        }
        assertThat(sizes).containsExactly(8, 8, 4);
        assertThat(sequences).isSortedAccordingTo(Long::compare).hasSize(20).startsWith(0L);
    }

    @Test
    void aMalformedFrameDeliversEveryWholeEventBeforeTheFaultAndReportsTheRest() throws Exception {
        // a frame cut off inside its eleventh object
        session().send("[" + trades(100, 10) + ",{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1");

        List<MarketEvent> delivered = new ArrayList<>();
        Object call;
        while ((call = next()) instanceof List<?> chunk) {
            for (Object e : chunk) {
                delivered.add((MarketEvent) e);
            }
        }
        assertThat(delivered).hasSize(10);
        assertThat(call).asString().startsWith("error malformed-frame: skipped a malformed frame");

        // the connection goes on: the next frame arrives whole
        session().send("[" + trades(200, 3) + "]");
        assertThat(next()).asList().hasSize(3);
    }

    private FakeSession session() {
        return server.liveSession("k");
    }

    private Object next() throws InterruptedException {
        Object o = calls.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(o).as("a call from the transport").isNotNull();
        return o;
    }

    /** {@code n} AAPL trades with sequences from {@code first}, comma-separated. */
    private static String trades(int first, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"ev\":\"T\",\"sym\":\"AAPL\",\"x\":4,\"i\":\"")
                    .append(first + i)
                    .append("\",\"p\":1.5,\"s\":10,\"q\":")
                    .append(first + i)
                    .append(",\"t\":1700000000000}");
        }
        return sb.toString();
    }

    /** Records each call; a chunk is copied, as the transport reuses its list. */
    private final class Recorder implements TransportListener {
        @Override
        public void onConnected() {
            calls.add("connected");
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            calls.add("disconnected " + reason);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            calls.add(List.copyOf(events));
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            calls.add("ack " + symbol);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            calls.add("rejected " + symbol);
        }

        @Override
        public void onServerStatus(String status, String message) {
            calls.add("status " + status);
        }

        @Override
        public void onError(String kind, String detail) {
            calls.add("error " + kind + ": " + detail);
        }
    }
}
