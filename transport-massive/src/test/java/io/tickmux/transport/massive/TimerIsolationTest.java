package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.tck.TransportHost;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The host's scheduler times every connection of the Massive transport (pings, read deadlines, auth
 * and ack timeouts). A listener that is slow on one connection must not stall it: the timer never
 * waits for a connection's callback lock (issue 15, defect 9).
 */
class TimerIsolationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Records disconnects; optionally blocks in its first subscribe ack until released. */
    private static final class Listener implements TransportListener {
        final Queue<DisconnectReason> disconnects = new ConcurrentLinkedQueue<>();
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch acked = new CountDownLatch(1);
        final CountDownLatch release;

        Listener(boolean blockOnAck) {
            this.release = new CountDownLatch(blockOnAck ? 1 : 0);
        }

        @Override
        public void onConnected() {
            connected.countDown();
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            disconnects.add(reason);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {}

        @Override
        public void onAck(String symbol, boolean subscribed) {
            acked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS); // a slow listener, on the read thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onRejected(String symbol, String reason) {}

        @Override
        public void onServerStatus(String status, String message) {}

        @Override
        public void onError(String kind, String detail) {}
    }

    @Test
    void aListenerBlockedOnOneConnectionDoesNotStopAnotherConnectionsReadDeadline()
            throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        TransportHost host =
                TransportHost.start(
                        new MassiveTransportFactory(),
                        ConfigFactory.parseString(
                                        "tickmux.transport.massive { url = \""
                                                + server.url()
                                                + "\", api-key = ka, ping-interval = 200ms,"
                                                + " read-deadline = 1s }")
                                .withFallback(ConfigFactory.load())
                                .resolve());
        Listener slow = new Listener(true);
        Listener other = new Listener(false);
        TransportConnection a =
                host.create(new ConnectionSpec("a", "a", ConfigFactory.empty()), slow);
        TransportConnection b =
                host.create(
                        new ConnectionSpec("b", "b", ConfigFactory.parseString("api-key = kb")),
                        other);
        try {
            a.connect();
            b.connect();
            assertThat(slow.connected.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.connected.await(30, TimeUnit.SECONDS)).isTrue();
            // a's read thread now sits in the listener: a reads nothing, so its read deadline
            // fires on the timer, which must not wait for a's listener.
            a.subscribe(List.of("AAPL"));
            assertThat(slow.acked.await(30, TimeUnit.SECONDS)).isTrue();
            // a's deadline fires on the timer, which drops a's socket (the server sees it go) and
            // must then leave a's disconnect for a's busy read thread rather than wait for it.
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(server.liveSessions())
                                            .as("live sessions")
                                            .extracting(s -> s.key())
                                            .containsExactly("kb"));
            // b's server goes silent (no data, no pongs): only the timer can notice.
            server.liveSession("kb").mute(true);
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(other.disconnects)
                                            .as("b's disconnects while a's listener is blocked")
                                            .containsExactly(DisconnectReason.READ_TIMEOUT));
            assertThat(slow.disconnects).as("a's listener is still busy").isEmpty();
            slow.release.countDown();
            // a's own read deadline was queued meanwhile and reaches it once it is free.
            await().atMost(WAIT)
                    .untilAsserted(
                            () ->
                                    assertThat(slow.disconnects)
                                            .containsExactly(DisconnectReason.READ_TIMEOUT));
        } finally {
            slow.release.countDown();
            a.close();
            b.close();
            host.close();
            server.close();
        }
    }
}
