package io.tickmux.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.tck.RecordingTransportListener.Ack;
import io.tickmux.tck.RecordingTransportListener.Connected;
import io.tickmux.tck.RecordingTransportListener.Disconnected;
import io.tickmux.tck.RecordingTransportListener.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every transport meets. Extend it with a few lines: say how to make the transport's
 * factory, the configuration it reads, and how to drive its server ({@link ServerControl}); every
 * test then runs against it. The kit hosts the transport as a manager does ({@link TransportHost}):
 * one transport per test, made from {@link #config()}, closed after the test.
 *
 * <pre>{@code
 * class MyTransportCompatibilityTest extends TransportCompatibilityKit {
 *     final MyFakeServer server = MyFakeServer.start();
 *     protected TransportFactory transport() { return new MyTransportFactory(); }
 *     protected Config config() { return MyFakeServer.settings(server.url()); }
 *     protected ServerControl server() { return new MyServerControl(server); }
 * }
 * }</pre>
 */
public abstract class TransportCompatibilityKit {

    /**
     * How long any single wait in the kit may take before the test fails: generous, since it costs
     * nothing when a test passes and a loaded machine must not fail a correct transport.
     */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The server side of the transport under test, as the kit drives it. */
    public interface ServerControl {

        /**
         * Sends trades for a symbol on a connection, in one or more frames, in order.
         *
         * @param connectionId the connection
         * @param symbol the ticker (subscribed)
         * @param count how many trades; sequence numbers 1..count
         */
        void emitTrades(String connectionId, String symbol, int count);

        /**
         * Aborts a connection from the server side, without a close frame.
         *
         * @param connectionId the connection
         */
        void drop(String connectionId);

        /**
         * Closes a connection cleanly from the server side (close code 1000).
         *
         * @param connectionId the connection
         */
        void closeCleanly(String connectionId);

        /**
         * Makes the transport see something it must skip without closing (a malformed frame).
         *
         * @param connectionId the connection
         */
        void sendMalformed(String connectionId);

        /**
         * The symbols the server holds a subscription for on a connection now.
         *
         * @param connectionId the connection
         * @return the symbols
         */
        Set<String> subscriptions(String connectionId);
    }

    private final List<TransportConnection> opened = new ArrayList<>();

    /**
     * A fresh transport factory, whose transport talks to the server {@link #server()} controls.
     * Called once per test.
     *
     * @return the factory
     */
    protected abstract TransportFactory transport();

    /**
     * The whole configuration the transport is made with, under the manager too. Called once per
     * test, after {@link #transport()}.
     *
     * @return the configuration; default {@code ConfigFactory.load()}
     */
    protected Config config() {
        return ConfigFactory.load();
    }

    /**
     * The server control paired with {@link #transport()}. Called after it, once per test.
     *
     * @return the control
     */
    protected abstract ServerControl server();

    /**
     * The spec for a connection; override to add per-connection settings (a URL, a key).
     *
     * @param id the connection id
     * @return the spec
     */
    protected ConnectionSpec spec(String id) {
        return ConnectionSpec.of(id);
    }

    @AfterEach
    void closeOpened() {
        for (TransportConnection c : opened) {
            c.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private TransportFactory transport;
    private Config config;
    private ServerControl server;
    private TransportHost host;

    private TransportFactory t() {
        if (transport == null) {
            transport = transport();
            config = config();
            server = server();
        }
        return transport;
    }

    private ServerControl s() {
        t();
        return server;
    }

    private TransportHost host() {
        if (host == null) {
            host = TransportHost.start(t(), config);
        }
        return host;
    }

    private TransportConnection open(String id, RecordingTransportListener rec) {
        TransportConnection c = host().create(spec(id), rec);
        opened.add(c);
        c.connect();
        assertThat(rec.next()).isEqualTo(new Connected());
        return c;
    }

    private static RecordingTransportListener recorder() {
        return new RecordingTransportListener(TIMEOUT);
    }

    @Nested
    @DisplayName("a connection")
    class Lifecycle {

        @Test
        @DisplayName("has a valid name")
        void nameIsValid() {
            assertThat(t().name()).matches("[a-z][a-z0-9-]*");
        }

        @Test
        @DisplayName("connects and reports it")
        void connectsAndReportsConnected() {
            open("kit-1", recorder());
        }

        @Test
        @DisplayName("refuses a second connect while open")
        void refusesConnectWhileOpen() {
            TransportConnection c = open("kit-1", recorder());
            assertThatThrownBy(c::connect).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("reports a client close once, as closed-by-client")
        void closeIsReportedOnce() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.close();
            c.close();
            Disconnected d = rec.next(Disconnected.class);
            assertThat(d.reason()).isEqualTo(DisconnectReason.CLOSED_BY_CLIENT);
            // "Once" needs some wait (no later call is bound to follow a second report). The
            // check can only pass falsely on a slow machine, never fail falsely.
            await().during(Duration.ofMillis(200))
                    .atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(rec.pending())
                                            .as("listener calls after the first close")
                                            .noneMatch(x -> x instanceof Disconnected));
        }

        @Test
        @DisplayName("reports a server abort as an abort and can connect again")
        void abortThenReconnect() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            s().drop("kit-1");
            assertThat(rec.next(Disconnected.class).reason()).isEqualTo(DisconnectReason.ABORT);
            c.connect();
            rec.next(Connected.class);
            c.subscribe(List.of("AAPL"));
            assertThat(rec.next(Ack.class)).isEqualTo(new Ack("AAPL", true));
        }

        @Test
        @DisplayName("reports a clean server close as a clean close")
        void cleanClose() {
            RecordingTransportListener rec = recorder();
            open("kit-1", rec);
            s().closeCleanly("kit-1");
            assertThat(rec.next(Disconnected.class).reason())
                    .isEqualTo(DisconnectReason.CLEAN_CLOSE);
        }

        @Test
        @DisplayName("reports a client abort and can connect again")
        void clientAbort() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.abort();
            assertThat(rec.next(Disconnected.class).reason()).isEqualTo(DisconnectReason.ABORT);
            c.connect();
            rec.next(Connected.class);
        }
    }

    @Nested
    @DisplayName("the transport")
    class TransportLifecycle {

        @Test
        @DisplayName("closes the connections left open when it is closed, once")
        void closeClosesOpenConnections() {
            RecordingTransportListener rec = recorder();
            open("kit-1", rec);
            host().transport().close();
            host().transport().close();
            assertThat(rec.next(Disconnected.class).reason())
                    .isEqualTo(DisconnectReason.CLOSED_BY_CLIENT);
        }

        @Test
        @DisplayName("refuses new connections once closed")
        void refusesConnectionsOnceClosed() {
            host().transport().close();
            assertThatThrownBy(() -> host().create(spec("kit-1"), recorder()))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("leaves no tickmux- thread running once closed")
        void closeStopsItsThreads() {
            Set<Thread> before = tickmuxThreads();
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of("AAPL"));
            rec.next(Ack.class);
            host().transport().close();
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () -> {
                                Set<Thread> left = tickmuxThreads();
                                left.removeAll(before);
                                assertThat(left.stream().map(Thread::getName))
                                        .as("threads the closed transport left running")
                                        .isEmpty();
                            });
        }

        private static Set<Thread> tickmuxThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th.isAlive() && th.getName().startsWith("tickmux-"))
                    .collect(Collectors.toSet());
        }
    }

    @Nested
    @DisplayName("subscriptions")
    class Subscriptions {

        @Test
        @DisplayName("are acknowledged per symbol, dotted symbols included")
        void subscribeIsAcknowledgedPerSymbol() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of("AAPL", "BRK.A", "MSFT"));
            Set<Ack> acks = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                acks.add(rec.next(Ack.class));
            }
            assertThat(acks)
                    .containsExactlyInAnyOrder(
                            new Ack("AAPL", true), new Ack("BRK.A", true), new Ack("MSFT", true));
            assertThat(s().subscriptions("kit-1"))
                    .containsExactlyInAnyOrder("AAPL", "BRK.A", "MSFT");
        }

        @Test
        @DisplayName("deliver every event of a subscribed symbol, in order")
        void eventsArriveInOrder() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of("AAPL"));
            rec.next(Ack.class);
            s().emitTrades("kit-1", "AAPL", 50);
            List<MarketEvent> got = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                got.add(rec.next(Event.class).event());
            }
            assertThat(got).allMatch(e -> e.symbol().equals("AAPL"));
            assertThat(got)
                    .extracting(e -> ((Trade) e).sequence())
                    .isSorted()
                    .doesNotHaveDuplicates()
                    .hasSize(50);
        }

        @Test
        @DisplayName("are removed by unsubscribe, which is acknowledged")
        void unsubscribe() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of("AAPL", "MSFT"));
            rec.next(Ack.class);
            rec.next(Ack.class);
            c.unsubscribe(List.of("AAPL"));
            assertThat(rec.next(Ack.class)).isEqualTo(new Ack("AAPL", false));
            assertThat(s().subscriptions("kit-1")).containsExactly("MSFT");
        }

        @Test
        @DisplayName("of an empty set send nothing")
        void emptyIsNoop() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of());
            c.unsubscribe(List.of());
            c.subscribe(List.of("AAPL"));
            assertThat(rec.next()).isEqualTo(new Ack("AAPL", true));
        }
    }

    @Nested
    @DisplayName("errors")
    class Errors {

        @Test
        @DisplayName("surface as events and keep the connection")
        void malformedFrameIsReportedAndSkipped() {
            RecordingTransportListener rec = recorder();
            TransportConnection c = open("kit-1", rec);
            c.subscribe(List.of("AAPL"));
            rec.next(Ack.class);
            s().sendMalformed("kit-1");
            rec.next(RecordingTransportListener.Error.class);
            s().emitTrades("kit-1", "AAPL", 1);
            assertThat(rec.next(Event.class).event().symbol()).isEqualTo("AAPL");
            assertThat(rec.pending()).noneMatch(x -> x instanceof Disconnected);
        }
    }

    @Nested
    @DisplayName("under the manager")
    class UnderTheManager {

        @Test
        @DisplayName("a reconnect re-sends the whole desired set")
        void reconnectResendsDesiredSet() throws Exception {
            ConcurrentLinkedQueue<MarketEvent> events = new ConcurrentLinkedQueue<>();
            CoreSettings settings =
                    CoreSettings.parse(
                            "tickmux.core.reconnect { initial-delay = 10ms, max-delay = 50ms }");
            try (MultiConnectionManager m =
                    MultiConnectionManager.builder()
                            .settings(settings)
                            .transport(t())
                            .config(config)
                            .tickListener(events::add)
                            .connection(
                                    new ConnectionDefinition(
                                            "kit-m",
                                            "kit-m",
                                            100,
                                            Set.of(),
                                            spec("kit-m").settings()))
                            .build()) {
                assertThat(m.connectAll(Map.of("kit-m", List.of("AAPL", "MSFT", "BRK.A")), TIMEOUT))
                        .isTrue();
                s().drop("kit-m");
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        m.healthStatus()
                                                                .connections()
                                                                .get(0)
                                                                .reconnects())
                                                .as("reconnects")
                                                .isGreaterThanOrEqualTo(1));
                assertThat(m.awaitSubscribed(TIMEOUT)).isTrue();
                await().atMost(TIMEOUT)
                        .untilAsserted(
                                () ->
                                        assertThat(s().subscriptions("kit-m"))
                                                .containsExactlyInAnyOrder(
                                                        "AAPL", "MSFT", "BRK.A"));
                s().emitTrades("kit-m", "MSFT", 3);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events).hasSize(3));
            }
        }
    }
}
