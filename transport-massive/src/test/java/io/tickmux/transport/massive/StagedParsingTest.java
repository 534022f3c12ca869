package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code parsing = stage}: frames are parsed on the connection's own parsing thread, in the order
 * they were read, with a malformed frame counted and skipped, a throwing listener contained, and
 * the thread ended with the socket, after the events it was handed.
 */
class StagedParsingTest {

    private static final String STAGE_THREAD = "tickmux-massive-parse-c1";

    private final BlockingQueue<Object> calls = new LinkedBlockingQueue<>();
    private final AtomicInteger throwOnChunks = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch entered =
            new java.util.concurrent.CountDownLatch(1);
    private volatile java.util.concurrent.CountDownLatch hold;
    private final List<String> listenerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FakeMassiveServer server;
    private TransportHost host;
    private TransportConnection connection;

    @BeforeEach
    void connect() throws Exception {
        server = FakeMassiveServer.builder().build().start();
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \""
                                        + server.url()
                                        + "\", parsing = stage, parse-stage-frames = 4 }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        host = TransportHost.start(new MassiveTransportFactory(), root);
        connection =
                host.create(
                        new ConnectionSpec("c1", "c1", ConfigFactory.parseString("api-key = k")),
                        new Recorder());
        connection.connect();
        assertThat(next()).isEqualTo("connected");
        connection.subscribe(List.of("AAPL"));
        assertThat(next()).isEqualTo("ack AAPL");
    }

    @AfterEach
    void close() {
        connection.close();
        host.close();
        server.close();
    }

    private static boolean stageThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(STAGE_THREAD) && t.isAlive());
    }

    @Test
    void manyFramesThroughASmallRingArriveCompleteAndInWireOrderOnTheStageThread()
            throws Exception {
        int frames = 300;
        for (int f = 0; f < frames; f++) {
            session().send("[" + trades(f * 10, 10) + "]");
        }
        List<Long> sequences = new ArrayList<>();
        while (sequences.size() < frames * 10) {
            for (Object e : (List<?>) next()) {
                sequences.add(((Trade) e).sequence());
            }
        }
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("event %d", i).isEqualTo(i);
        }
        assertThat(listenerThreads).containsOnly(STAGE_THREAD);
        assertThat(stageThreadAlive()).isTrue();
    }

    @Test
    void aMalformedFrameIsReportedAndSkippedAndTheStageGoesOn() throws Exception {
        session().send("[" + trades(0, 3) + ",{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1");
        assertThat(next()).asList().hasSize(3);
        assertThat(next())
                .asString()
                .startsWith("error malformed-frame: skipped a malformed frame (");
        session().send("[" + trades(10, 2) + "]");
        assertThat(next()).asList().hasSize(2);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheStage() throws Exception {
        throwOnChunks.set(2);
        session().send("[" + trades(0, 1) + "]");
        session().send("[" + trades(1, 1) + "]");
        session().send("[" + trades(2, 1) + "]");
        List<?> chunk = (List<?>) next();
        assertThat(((Trade) chunk.get(0)).sequence()).isEqualTo(2);
        assertThat(stageThreadAlive()).isTrue();
    }

    @Test
    void theDisconnectComesAfterTheEventsAndTheStageThreadEndsWithTheSocket() throws Exception {
        hold = new java.util.concurrent.CountDownLatch(1);
        session().send("[" + trades(0, 5) + "]");
        session().send("[" + trades(5, 3) + "]");
        assertThat(entered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        // the stage is inside the listener with the first frame; the second waits in the ring
        connection.close();
        hold.countDown();
        assertThat(next()).asList().hasSize(5);
        assertThat(next()).asList().hasSize(3);
        assertThat(next()).isEqualTo("disconnected " + DisconnectReason.CLOSED_BY_CLIENT);
        await().atMost(TIMEOUT).until(() -> !stageThreadAlive());
    }

    private FakeSession session() {
        return server.liveSession("k");
    }

    private Object next() throws InterruptedException {
        Object o = calls.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(o).as("a call from the transport").isNotNull();
        return o;
    }

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
            listenerThreads.add(Thread.currentThread().getName());
            java.util.concurrent.CountDownLatch h = hold;
            if (h != null) {
                entered.countDown();
                try {
                    h.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (throwOnChunks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("listener bug");
            }
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
