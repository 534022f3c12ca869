package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.fake.OversizedMessage;
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
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Massive transport against a hostile or broken server, on one connection over loopback: what
 * each input does to the connection and what the host is told. Every case ends in a known state
 * (the connection kept, or dropped with a cause) and a count, and nothing in it grows with what the
 * server sends.
 */
class HostileServerTest {

    private static final long MB = 1_000_000L;

    private final BlockingQueue<Object> calls = new LinkedBlockingQueue<>();
    private final LongAdder unheld = new LongAdder();
    private final List<String> deliveredSymbols = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FakeMassiveServer server;
    private TransportHost host;
    private TransportConnection connection;

    private void connect(String transportHocon) throws Exception {
        server = FakeMassiveServer.builder().build().start();
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \""
                                        + server.url()
                                        + "\"\n"
                                        + transportHocon
                                        + " }")
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
        assertThat(next()).isEqualTo("ack+ AAPL");
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (host != null) {
            host.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------ size

    @Test
    void aFrameDeclaring200MbClosesTheConnectionAsItsHeaderArrivesWithFrameTooLarge()
            throws Exception {
        connect(""); // the default limit, 16 MiB
        OversizedMessage huge = session().sendOversizedMessage(200 * MB);

        assertThat(next())
                .asString()
                .startsWith(
                        "error frame-too-large: frame too large: the server sent a message over"
                                + " max-frame-size = 16777216 bytes");
        assertThat(next()).asString().startsWith("disconnected ABORT 1009 frame too large");
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(huge.stopped())
                                        .as("the stream stopped because the client closed")
                                        .isTrue());
        // The client closed after the header: the server could hand it no more than what the
        // socket buffers hold, never the 200 MB, so the client never held the frame.
        assertThat(huge.finished()).isFalse();
        assertThat(huge.sent()).as("bytes offered before the close").isLessThan(huge.declared());
        System.out.printf(
                "200 MB frame: %,d bytes offered before the client closed%n", huge.sent());

        // The connection can be opened again: the transport itself is intact.
        connection.connect();
        assertThat(next()).isEqualTo("connected");
    }

    @Test
    void aMessageInFramesUnderTheLimitButOverItTogetherIsRefusedToo() throws Exception {
        connect("max-frame-size = 64KiB");
        // 200 MB as 16 KiB fragments: each frame passes, the message does not (more than the
        // socket buffers hold, so the server cannot have handed it all over by the close)
        OversizedMessage fragmented = session().sendOversizedMessage(200 * MB, 16 * 1024);

        assertThat(next()).asString().startsWith("error frame-too-large:");
        assertThat(next())
                .asString()
                .startsWith("disconnected ABORT 1009 frame too large")
                .contains("max-frame-size = 65536 bytes");
        FakeSession fs = server.sessions().get(0);
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(fragmented.stopped())
                                        .as(
                                                "stopped; sent %d finished %s open %s",
                                                fragmented.sent(),
                                                fragmented.finished(),
                                                fs.isOpen())
                                        .isTrue());
        assertThat(fragmented.finished()).isFalse();
        assertThat(fragmented.sent()).isLessThan(fragmented.declared());
        System.out.printf(
                "200 MB in 16 KiB fragments: %,d bytes offered before the client closed%n",
                fragmented.sent());
    }

    @Test
    void aMessageJustUnderTheLimitIsRead() throws Exception {
        connect("max-frame-size = 64KiB");
        // A real frame of 60 KB: read, parsed, delivered (the limit is on size, not on content).
        StringBuilder frame = new StringBuilder("[");
        int n = 0;
        while (frame.length() < 60_000) {
            frame.append(n == 0 ? "" : ",").append(trade("AAPL", n++));
        }
        session().send(frame.append(']').toString());
        int got = 0;
        while (got < n) {
            Object call = next();
            assertThat(call).as("only events, no error").isInstanceOf(List.class);
            got += ((List<?>) call).size();
        }
        assertThat(got).isEqualTo(n);
    }

    // ------------------------------------------------------------ shape

    @Test
    void aBinaryFrameIsCountedAsAnErrorAndTheConnectionStays() throws Exception {
        connect("");
        session().sendBinary(new byte[1000]);
        assertThat(next())
                .isEqualTo(
                        "error binary-frame: skipped a binary frame (1000 bytes): the feed sends"
                                + " text frames only");
        session().send("[" + trade("AAPL", 1) + "]");
        assertThat(next()).asList().hasSize(1);
    }

    @Test
    void jsonNested100000LevelsDeepIsAMalformedFrameAndTheConnectionStays() throws Exception {
        connect("");
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        // before it, a whole event (delivered); the nesting is inside a field the parser skips
        session()
                .send(
                        "["
                                + trade("AAPL", 1)
                                + ",{\"ev\":\"T\",\"sym\":\"AAPL\",\"zz\":"
                                + deep
                                + ",\"t\":1}]");
        assertThat(next()).asList().hasSize(1);
        assertThat(next())
                .asString()
                .startsWith("error malformed-frame: skipped a malformed frame (200")
                .contains("nesting depth");
        // and the deep frame as the whole message, arrays all the way down
        session().send(deep);
        assertThat(next()).asString().startsWith("error malformed-frame:");
        session().send("[" + trade("AAPL", 2) + "]");
        assertThat(next()).asList().hasSize(1);
    }

    @Test
    void aSecondAuthSuccessIsReportedAsAProtocolViolationNotASecondConnect() throws Exception {
        connect("");
        session().sendStatus("auth_success", "authenticated");
        session().send("[" + trade("AAPL", 1) + "]"); // a barrier: it arrives after the status
        assertThat(next())
                .isEqualTo(
                        "error protocol-violation: a second auth_success on an authenticated"
                                + " connection: ignored");
        assertThat(next()).asList().hasSize(1);
        assertThat(calls).isEmpty(); // no second "connected": the host does not re-subscribe
    }

    @Test
    void serverTextWithNewlinesAndControlCharactersReachesTheHostOnOneLine() throws Exception {
        connect("");
        session().sendStatus("warn\ning", "line one\nERROR forged log line\r\t\u001b[31m\u202eend");
        assertThat(next())
                .isEqualTo(
                        "status warn\\ning: line one\\nERROR forged log line\\r\\t\\u001b[31m"
                                + "\\u202eend");
        session().send("[{\"ev\":\"X\\nFORGED\",\"sym\":\"AAPL\",\"t\":1}]");
        assertThat(next()).isEqualTo("error unknown-event: unknown event type \"X\\nFORGED\"");
        session().sendStatus("warning", "x".repeat(100_000));
        assertThat(next())
                .asString()
                .startsWith("status warning: xxx")
                .endsWith("… (99700 more characters)");
        session().close(1000, "bye\nERROR forged close reason");
        assertThat(next())
                .isEqualTo("disconnected CLEAN_CLOSE 1000 bye\\nERROR forged close reason");
    }

    // ------------------------------------------------------------ tickers not held

    @Test
    void eventsForTickersNeverSubscribedAreDroppedAndReported() throws Exception {
        connect("");
        session().sendUnasked(List.of(tradeOf("MSFT", 1), tradeOf("AAPL", 2), tradeOf("TSLA", 3)));
        assertThat(next())
                .isEqualTo(
                        "error unheld-event: dropped an event for MSFT, a ticker this connection"
                                + " does not hold");
        assertThat(next()).asList().hasSize(1); // AAPL, in wire order
        assertThat(next()).asString().startsWith("error unheld-event: dropped an event for TSLA");
        assertThat(deliveredSymbols).containsOnly("AAPL");
    }

    @Test
    void afterAnUnsubscribeIsAcknowledgedItsTickerIsNoLongerHeldButEventsInFlightBeforeAreKept()
            throws Exception {
        connect("");
        connection.subscribe(List.of("MSFT"));
        assertThat(next()).isEqualTo("ack+ MSFT");
        FakeSession s = session();
        s.holdAcks();
        connection.unsubscribe(List.of("MSFT"));
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(s.heldAcks()).as("held acks").isEqualTo(2));
        // in flight: the unsubscribe was sent, its ack not yet in, so MSFT is still held
        s.sendUnasked(List.of(tradeOf("MSFT", 1)));
        assertThat(next()).asList().hasSize(1);
        s.releaseAcks();
        assertThat(next()).isEqualTo("ack- MSFT");
        s.sendUnasked(List.of(tradeOf("MSFT", 2)));
        assertThat(next()).asString().startsWith("error unheld-event: dropped an event for MSFT");

        // unsubscribed and subscribed again before the unsubscribe's ack: held throughout
        s.holdAcks();
        connection.subscribe(List.of("TSLA"));
        connection.unsubscribe(List.of("TSLA"));
        connection.subscribe(List.of("TSLA"));
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(s.heldAcks()).as("held acks").isEqualTo(6));
        s.releaseAcks();
        List<Object> acks = List.of(next(), next());
        // the first subscribe's acks, then the unsubscribe's (a later duplicate ack is ignored)
        assertThat(acks).containsExactly("ack+ TSLA", "ack- TSLA");
        s.sendUnasked(List.of(tradeOf("TSLA", 3)));
        assertThat(next()).asList().hasSize(1);
    }

    // ------------------------------------------------------------ helpers

    private FakeSession session() {
        return server.liveSession("k");
    }

    private Object next() throws InterruptedException {
        Object o = calls.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(o).as("a call from the transport").isNotNull();
        return o;
    }

    private static Trade tradeOf(String symbol, long seq) {
        return new Trade(
                symbol,
                4,
                Long.toString(seq),
                3,
                1.5,
                10,
                null,
                new int[0],
                1_700_000_000_000L,
                -1,
                seq,
                -1,
                -1);
    }

    private static String trade(String symbol, int seq) {
        return "{\"ev\":\"T\",\"sym\":\""
                + symbol
                + "\",\"x\":4,\"i\":\""
                + seq
                + "\",\"p\":1.5,\"s\":10,\"q\":"
                + seq
                + ",\"t\":1700000000000}";
    }

    /** Records each call as a string (a chunk as a copied list); counts unheld-event errors. */
    private final class Recorder implements TransportListener {
        @Override
        public void onConnected() {
            calls.add("connected");
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            calls.add("disconnected " + reason + " " + closeCode + " " + detail);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            events.forEach(e -> deliveredSymbols.add(e.symbol()));
            calls.add(new ArrayList<>(events));
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            calls.add("ack" + (subscribed ? "+ " : "- ") + symbol);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            calls.add("rejected " + symbol + ": " + reason);
        }

        @Override
        public void onServerStatus(String status, String message) {
            calls.add("status " + status + ": " + message);
        }

        @Override
        public void onError(String kind, String detail) {
            if (kind.equals("unheld-event")) {
                unheld.increment();
            }
            calls.add("error " + kind + ": " + detail);
        }
    }
}
