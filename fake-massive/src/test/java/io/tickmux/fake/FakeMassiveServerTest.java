package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.transport.mock.MockEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake server speaks the protocol as the reference describes it, seen by a raw client. */
class FakeMassiveServerTest {

    /** Generous: it costs nothing when a test passes and spares a loaded machine a false alarm. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FakeMassiveServer server;

    /** A raw WebSocket client recording frames and the close, in the style of WebSocketRecorder. */
    static final class Raw extends WebSocketClient {
        final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<int[]> closed = new CompletableFuture<>();

        Raw(String url) {
            super(URI.create(url));
            setConnectionLostTimeout(0);
        }

        static Raw open(String url) throws InterruptedException {
            Raw r = new Raw(url);
            assertThat(r.connectBlocking(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return r;
        }

        String next() throws InterruptedException {
            String f = frames.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("Timed out waiting for a frame");
            }
            return f;
        }

        int closeCode() throws Exception {
            return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)[0];
        }

        @Override
        public void onOpen(ServerHandshake h) {}

        @Override
        public void onMessage(String m) {
            frames.add(m);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed.complete(new int[] {code});
        }

        @Override
        public void onError(Exception ex) {}
    }

    private FakeMassiveServer start(FakeMassiveServer.Builder b) {
        server = b.build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void greetsAuthenticatesAndAcksEachTopicOfAPipelinedSubscribe() throws Exception {
        start(FakeMassiveServer.builder());
        Raw c = Raw.open(server.url());
        assertThat(c.next())
                .isEqualTo(
                        "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
        c.send("{\"action\":\"auth\",\"params\":\"k\"}");
        c.send("{\"action\":\"subscribe\",\"params\":\"T.AAPL,Q.BRK.A,ZZ.AAPL\"}");
        assertThat(c.next()).contains("\"auth_success\"").contains("authenticated");
        assertThat(c.next())
                .isEqualTo(
                        "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.AAPL\"},"
                                + "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: Q.BRK.A\"}]");
        // A topic already held gets no second ack; an unsubscribe gets "unsubscribed to".
        c.send("{\"action\":\"subscribe\",\"params\":\"T.AAPL\"}");
        c.send("{\"action\":\"unsubscribe\",\"params\":\"Q.BRK.A\"}");
        assertThat(c.next()).contains("unsubscribed to: Q.BRK.A");
        assertThat(server.liveSessions().get(0).topics()).containsExactly("T.AAPL");
        c.close();
    }

    @Test
    void separateAckFramingAndNotAuthorizedPrefixes() throws Exception {
        start(
                FakeMassiveServer.builder()
                        .ackFraming(FakeMassiveServer.AckFraming.SEPARATE)
                        .notAuthorized("NOI"));
        Raw c = Raw.open(server.url());
        c.next();
        c.send("{\"action\":\"auth\",\"params\":\"k\"}");
        c.next();
        c.send("{\"action\":\"subscribe\",\"params\":\"T.A,T.B,NOI.A\"}");
        assertThat(c.next()).endsWith("subscribed to: T.A\"}]");
        assertThat(c.next()).endsWith("subscribed to: T.B\"}]");
        assertThat(c.next()).contains("\"error\"").contains("not authorized");
        c.close();
    }

    @Test
    void aBadKeyGetsAuthFailedThenAnAbortWithoutACloseFrame() throws Exception {
        start(FakeMassiveServer.builder().acceptKeys("good"));
        Raw c = Raw.open(server.url());
        c.next();
        c.send("{\"action\":\"auth\",\"params\":\"bad\"}");
        assertThat(c.next()).contains("auth_failed").contains("authentication failed");
        assertThat(c.closeCode()).isEqualTo(1006);
    }

    @Test
    void noAuthInTimeGetsAuthTimeout() throws Exception {
        start(FakeMassiveServer.builder().authTimeout(Duration.ofMillis(200)));
        Raw c = Raw.open(server.url());
        c.next();
        assertThat(c.next())
                .contains("auth_timeout")
                .contains("No authentication request received.");
        assertThat(c.closeCode()).isEqualTo(1008);
    }

    @Test
    void heldAcksWaitForTheReleaseWhileTheTopicsTakeEffectAtOnce() throws Exception {
        start(FakeMassiveServer.builder().universe(List.of("AAPL")));
        Raw c = Raw.open(server.url());
        c.next();
        c.send("{\"action\":\"auth\",\"params\":\"k\"}");
        assertThat(c.next()).contains("auth_success");
        FakeSession s = server.liveSession("k");
        s.holdAcks();
        c.send("{\"action\":\"subscribe\",\"params\":\"T.AAPL,T.MSFT\"}");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(s.heldAcks()).isEqualTo(2));
        assertThat(s.topics()).containsExactlyInAnyOrder("T.AAPL", "T.MSFT");
        server.generateOnce();
        // The events come first: the acks are still held.
        assertThat(c.next()).startsWith("[{\"ev\":\"T\"");
        s.releaseAcks();
        assertThat(c.next()).contains("subscribed to: T.AAPL").contains("subscribed to: T.MSFT");
        assertThat(s.heldAcks()).isZero();
        c.send("{\"action\":\"unsubscribe\",\"params\":\"T.MSFT\"}");
        assertThat(c.next()).contains("unsubscribed to: T.MSFT");
        c.close();
    }

    @Test
    void theOldestConnectionOfAKeyIsEvictedPastTheCap() throws Exception {
        start(
                FakeMassiveServer.builder()
                        .connectionCap(1)
                        .evictionClose(FakeMassiveServer.EvictionClose.ABORT));
        Raw first = Raw.open(server.url());
        first.next();
        first.send("{\"action\":\"auth\",\"params\":\"k\"}");
        first.next();
        Raw second = Raw.open(server.url());
        second.next();
        second.send("{\"action\":\"auth\",\"params\":\"k\"}");
        assertThat(second.next()).contains("auth_success");
        assertThat(first.next()).contains("max_connections");
        assertThat(first.closeCode()).isEqualTo(1006);
        assertThat(second.isOpen()).isTrue();
        assertThat(server.evictions()).isEqualTo(1);
        second.close();
    }

    @Test
    void generatesEventsForSubscribedAndWildcardTopicsWithIncreasingSequences() throws Exception {
        start(FakeMassiveServer.builder().universe(List.of("AAPL", "MSFT")));
        Raw c = Raw.open(server.url());
        c.next();
        c.send("{\"action\":\"auth\",\"params\":\"k\"}");
        c.next();
        c.send("{\"action\":\"subscribe\",\"params\":\"T.*,Q.NVDA\"}");
        c.next();
        assertThat(server.generateOnce()).isEqualTo(3);
        String frame = c.next();
        assertThat(frame)
                .contains("{\"ev\":\"T\",\"sym\":\"AAPL\"")
                .contains("\"sym\":\"MSFT\"")
                .contains("{\"ev\":\"Q\",\"sym\":\"NVDA\"");
        server.generateOnce();
        c.next();
        FakeSession s = server.liveSessions().get(0);
        assertThat(s.sentCount("AAPL")).isEqualTo(2);
        List<Long> seqs =
                s.sent().stream()
                        .filter(e -> e.symbol().equals("AAPL"))
                        .map(e -> ((io.tickmux.spi.event.Trade) e).sequence())
                        .toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(
                        s.sent().stream()
                                .filter(e -> e instanceof io.tickmux.spi.event.Trade)
                                .map(e -> ((io.tickmux.spi.event.Trade) e).tradeId()))
                .doesNotHaveDuplicates();
        c.close();
    }

    @Test
    void framesStayUnderTheLimit() throws Exception {
        start(FakeMassiveServer.builder().maxFrameBytes(2_000));
        Raw c = Raw.open(server.url());
        c.next();
        c.send("{\"action\":\"auth\",\"params\":\"k\"}");
        c.next();
        c.send("{\"action\":\"subscribe\",\"params\":\"T.AAPL\"}");
        c.next();
        List<io.tickmux.spi.event.Trade> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(MockEvents.trade("AAPL", i, 1_700_000_000_000L + i));
        }
        server.publish(many);
        int events = 0;
        while (events < 100) {
            String f = c.next();
            assertThat(f.length()).isLessThanOrEqualTo(2_000);
            events += f.split("\"ev\":\"T\"").length - 1;
        }
        assertThat(events).isEqualTo(100);
        c.close();
    }

    @Test
    void theControlEndpointInjectsFaultsAndReportsWhatWasSent() throws Exception {
        start(FakeMassiveServer.builder());
        try (ControlEndpoint control = new ControlEndpoint(server, 0)) {
            Raw c = Raw.open(server.url());
            c.next();
            c.send("{\"action\":\"auth\",\"params\":\"k\"}");
            c.next();
            c.send("{\"action\":\"subscribe\",\"params\":\"T.AAPL\"}");
            c.next();
            server.generateOnce();
            c.next();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + control.port();
            HttpResponse<String> sessions = get(http, base + "/sessions");
            assertThat(sessions.statusCode()).isEqualTo(200);
            assertThat(sessions.body()).contains("\"id\":1").contains("\"tickers\":1");
            assertThat(get(http, base + "/sent?ticker=AAPL").body())
                    .isEqualTo("{\"ticker\":\"AAPL\",\"total\":1,\"bySession\":{\"1\":1}}");
            assertThat(get(http, base + "/stats").body()).contains("\"live\":1");
            assertThat(get(http, base + "/sent").statusCode()).isEqualTo(400);
            assertThat(get(http, base + "/nope").body()).contains("\"error\"");
            assertThat(post(http, base + "/sessions/9/abort").statusCode()).isEqualTo(404);
            assertThat(post(http, base + "/sessions/x/abort").statusCode()).isEqualTo(400);
            assertThat(post(http, base + "/sessions/1/explode").statusCode()).isEqualTo(404);
            assertThat(get(http, base + "/sessions/1/abort").statusCode()).isEqualTo(405);
            assertThat(post(http, base + "/sessions/1/malformed").statusCode()).isEqualTo(200);
            assertThat(c.next()).isEqualTo("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1");
            post(http, base + "/sessions/1/close?code=1001");
            assertThat(c.closeCode()).isEqualTo(1001);
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(get(http, base + "/sessions").body())
                                            .contains("\"closeCode\":1001"));
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
