package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.StatusEvent.ConnectionStateChanged;
import io.tickmux.spi.event.StatusEvent.ServerStatus;
import io.tickmux.spi.event.StatusEvent.SubscriptionRefused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The manager on three Massive connections against the fake server, over loopback. */
class MassiveIntegrationTest {

    private static List<String> tickers(String prefix, int n) {
        List<String> l = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> l.add(prefix + i + (i % 10 == 0 ? ".A" : "")));
        return l;
    }

    private static Map<String, List<String>> threeByHundred() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("c1", tickers("ONE", 110));
        m.put("c2", tickers("TWO", 110));
        m.put("c3", tickers("THR", 110));
        return m;
    }

    private static Map<String, String> keys() {
        return Map.of("c1", "key-1", "c2", "key-2", "c3", "key-3");
    }

    @Test
    void threeConnectionsDeliverEveryEventTheServerSent() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f = new MassiveFixture(server, "channels = [T, Q]", "", keys())) {
            Map<String, List<String>> assignment = threeByHundred();
            assertThat(f.manager.connectAll(assignment, TIMEOUT)).isTrue();
            assertThat(server.liveSessions()).hasSize(3);
            server.startGenerator(50);
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                for (List<String> ts : assignment.values()) {
                                    for (String t : ts) {
                                        assertThat(f.received(t))
                                                .as("received for %s", t)
                                                .isGreaterThanOrEqualTo(10);
                                    }
                                }
                            });
            server.stopGenerator();
            // Quiet period: everything the server says it sent has arrived, per ticker.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                for (List<String> ts : assignment.values()) {
                                    for (String t : ts) {
                                        assertThat(f.received(t))
                                                .as("received for %s", t)
                                                .isEqualTo(server.sentCount(t));
                                    }
                                }
                            });
            assertThat(f.manager.healthStatus().totalErrors()).isZero();
            assertThat(f.manager.healthStatus().totalTickers()).isEqualTo(330);
        }
    }

    @ParameterizedTest(name = "server close {0}")
    @ValueSource(ints = {1006, 1000, 1001, 1008})
    void afterAServerCloseTheConnectionReconnectsReAuthenticatesResubscribesAndResumes(int code)
            throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f = new MassiveFixture(server, "channels = [T]", "", keys())) {
            Map<String, List<String>> assignment = threeByHundred();
            assertThat(f.manager.connectAll(assignment, TIMEOUT)).isTrue();
            FakeSession before = server.liveSession("key-2");
            if (code == 1006) {
                before.abort();
            } else {
                before.close(code, "test close");
            }
            String expected =
                    switch (code) {
                        case 1006 -> "abort (1006)";
                        case 1008 -> "policy (1008)";
                        default -> "clean-close (" + code + ")";
                    };
            f.status.next(
                    ConnectionStateChanged.class,
                    e ->
                            e.connectionId().equals("c2")
                                    && e.to() == ConnectionState.RECONNECTING
                                    && e.cause().startsWith(expected));
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.health("c2").reconnects())
                                            .isGreaterThanOrEqualTo(1));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            FakeSession after = server.liveSession("key-2");
            assertThat(after.id()).isNotEqualTo(before.id());
            assertThat(after.tickers()).containsExactlyInAnyOrderElementsOf(assignment.get("c2"));
            long beforeCount = f.received("TWO5");
            server.generateOnce();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("TWO5")).isEqualTo(beforeCount + 1));
        }
    }

    @Test
    void aBadKeyIsTerminalAndNeverRetried() throws Exception {
        FakeMassiveServer server =
                FakeMassiveServer.builder().rejectKeys("bad-key").build().start();
        try (MassiveFixture f =
                new MassiveFixture(server, "", "", Map.of("c1", "good", "c2", "bad-key"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")));
            ConnectionStateChanged failed =
                    f.status.next(
                            ConnectionStateChanged.class, e -> e.to() == ConnectionState.FAILED);
            assertThat(failed.connectionId()).isEqualTo("c2");
            assertThat(failed.cause()).contains("auth-failed").contains("authentication failed");
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(f.health("c2").state()).isEqualTo(ConnectionState.FAILED);
            assertThat(f.health("c2").reconnects()).isZero();
            // "Never" needs some wait; a retry would come within the reconnect delay (20-100 ms).
            // The check can only pass falsely on a slow machine, never fail falsely.
            await().during(Duration.ofMillis(500))
                    .atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(server.sessions())
                                            .as("sessions that tried the bad key")
                                            .filteredOn(s -> "bad-key".equals(s.key()))
                                            .hasSize(1));
        }
    }

    @Test
    void anUnentitledKeyFailsWithThePlanMessage() throws Exception {
        FakeMassiveServer server =
                FakeMassiveServer.builder().unentitledKeys("no-ws").build().start();
        try (MassiveFixture f = new MassiveFixture(server, "", "", Map.of("c1", "no-ws"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")));
            ConnectionStateChanged failed =
                    f.status.next(
                            ConnectionStateChanged.class, e -> e.to() == ConnectionState.FAILED);
            assertThat(failed.cause()).contains("Your plan doesn't include websocket access");
        }
    }

    @Test
    void evictionWaitsOutTheCooldownInsteadOfAStorm() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().connectionCap(1).build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "",
                        "reconnect.eviction-cooldown = 1h",
                        Map.of("c1", "shared", "c2", "shared"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL"), "c2", List.of("MSFT")));
            ConnectionStateChanged cooled =
                    f.status.next(
                            ConnectionStateChanged.class, e -> e.to() == ConnectionState.COOLDOWN);
            // The server closes with 1008 after max_connections; the client may see the TCP close
            // (1006) before the close frame. Either way it is an eviction.
            assertThat(cooled.cause()).startsWith("evicted (").contains("max_connections");
            assertThat(f.status.all())
                    .anySatisfy(
                            e ->
                                    assertThat(e)
                                            .isInstanceOfSatisfying(
                                                    ServerStatus.class,
                                                    s ->
                                                            assertThat(s.status())
                                                                    .isEqualTo("max_connections")));
            // "Instead of a storm" needs some wait: a storm would show within a second. The
            // check can only pass falsely on a slow machine, never fail falsely.
            await().during(Duration.ofSeconds(1))
                    .atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                assertThat(server.evictions()).as("evictions").isEqualTo(1);
                                assertThat(server.sessions()).as("sessions").hasSize(2);
                            });
            assertThat(f.health(cooled.connectionId()).evictions()).isEqualTo(1);
        }
    }

    @Test
    void aMalformedFrameIsSkippedAndCountedAndTheConnectionKept() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f =
                new MassiveFixture(server, "channels = [T]", "", Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
            FakeSession s = server.liveSession("k");
            s.sendMalformed();
            server.generateOnce();
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("AAPL")).isEqualTo(1));
            assertThat(f.health("c1").errors()).isEqualTo(1);
            assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(s.isOpen()).isTrue();
        }
    }

    @Test
    void aDuplicatedBatchIsDeliveredOnce() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f =
                new MassiveFixture(server, "channels = [T, Q]", "", Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
            server.liveSession("k").duplicateNextBatch();
            server.generateOnce();
            server.generateOnce();
            assertThat(server.sentCount("AAPL")).isEqualTo(6);
            // A third round is the barrier: the socket is ordered, so once it has arrived any
            // second copy of the repeated batch would have arrived before it.
            server.generateOnce();
            assertThat(server.sentCount("AAPL")).isEqualTo(8);
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("AAPL")).isEqualTo(6));
            assertThat(f.receivedEvents.stream().map(MassiveFixture::key).toList())
                    .doesNotHaveDuplicates();
            assertThat(
                            f.manager
                                    .meterRegistry()
                                    .get("tickmux.dedup.dropped")
                                    .functionCounter()
                                    .count())
                    .isEqualTo(2.0);
        }
    }

    @Test
    void anUnknownTopicIsNeverAckedAndReportedAfterTheAckTimeout() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().unknownTopics("FMV").build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        // Long enough for T's ack to arrive first on a loaded machine.
                        "channels = [T, FMV], ack-timeout = 2s",
                        // The transport's report of the first timeout; the manager's retries (a
                        // re-sent topic already held gets no second ack) are tested on the mock.
                        "subscriptions.ack-timeout-retries = 0",
                        Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")));
            SubscriptionRefused r = f.status.next(SubscriptionRefused.class);
            assertThat(r.symbol()).isEqualTo("AAPL");
            assertThat(r.reason()).startsWith("1 of 2 topics not acknowledged within PT2S");
            assertThat(f.health("c1").pendingAcks()).isZero();
            assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void aChannelOutsideThePlanIsSurfaced() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().notAuthorized("NOI").build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "channels = [T, NOI], ack-timeout = 300ms",
                        "",
                        Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")));
            ServerStatus s = f.status.next(ServerStatus.class);
            assertThat(s.status()).isEqualTo("error");
            assertThat(s.message()).isEqualTo("not authorized");
            assertThat(f.status.next(SubscriptionRefused.class).symbol()).isEqualTo("AAPL");
        }
    }

    @Test
    void aMutedServerIsDetectedByTheReadDeadlineAndReconnected() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "ping-interval = 100ms, read-deadline = 400ms",
                        "",
                        Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
            FakeSession muted = server.liveSession("k");
            muted.mute(true);
            ConnectionStateChanged c =
                    f.status.next(
                            ConnectionStateChanged.class,
                            e -> e.to() == ConnectionState.RECONNECTING);
            assertThat(c.cause()).startsWith("read-timeout");
            // liveSession throws while no session is live: read the list instead.
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(server.liveSessions())
                                            .as("a new live session for the key")
                                            .anySatisfy(
                                                    s -> {
                                                        assertThat(s.key()).isEqualTo("k");
                                                        assertThat(s.id()).isNotEqualTo(muted.id());
                                                    }));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
        }
    }

    @Test
    void aSlowConsumerKillIsReportedAndReconnected() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f = new MassiveFixture(server, "", "", Map.of("c1", "k"))) {
            f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT);
            server.liveSession("k").slowConsumerKill();
            ConnectionStateChanged c =
                    f.status.next(
                            ConnectionStateChanged.class,
                            e -> e.to() == ConnectionState.RECONNECTING);
            assertThat(c.cause()).startsWith("slow-consumer");
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
        }
    }

    @Test
    void elevenThousandTickersOnOneConnectionAreChunkedAndAllAcknowledged() throws Exception {
        FakeMassiveServer server =
                FakeMassiveServer.builder()
                        .ackFraming(FakeMassiveServer.AckFraming.SEPARATE)
                        .build()
                        .start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "channels = [T, Q], max-topics-per-message = 1000",
                        "",
                        Map.of("c1", "k"))) {
            List<String> many = tickers("X", 11_000);
            assertThat(f.manager.connectAll(Map.of("c1", many), TIMEOUT)).isTrue();
            assertThat(server.liveSession("k").tickers()).hasSize(11_000).contains("X10.A");
            assertThat(server.liveSession("k").topics()).hasSize(22_000);
        }
    }

    @Test
    void anAccountThatAllowsFewerConnectionsShrinksInsteadOfEvictingItself() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().connectionCap(2).build().start();
        try (MassiveFixture f =
                new MassiveFixture(
                        server,
                        "channels = [T]",
                        "reconnect.eviction-cooldown = 100ms",
                        Map.of("c1", "shared", "c2", "shared", "c3", "shared"))) {
            f.manager.connectAll(threeByHundred());
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(f.manager.healthStatus().notes())
                                            .anySatisfy(n -> assertThat(n).contains("parked")));
            assertThat(f.manager.awaitSubscribed(TIMEOUT)).isTrue();
            long evictions = server.evictions();
            // "The evictions stop" needs some wait: with a 100 ms cooldown a storm would show
            // within a second. The check can only pass falsely on a slow machine.
            await().during(Duration.ofSeconds(1))
                    .atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(server.evictions())
                                            .as("evictions")
                                            .isEqualTo(evictions));
            assertThat(server.liveSessions()).hasSize(2);
            assertThat(f.manager.healthStatus().totalTickers()).isEqualTo(330);
            assertThat(f.manager.healthStatus().connected()).isEqualTo(2);
        }
    }
}
