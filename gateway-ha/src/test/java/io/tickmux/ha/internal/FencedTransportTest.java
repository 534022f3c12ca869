package io.tickmux.ha.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport under the lease, against a recording fake. */
class FencedTransportTest {

    /** A connection that records what was asked of it. */
    private static final class Recorded implements TransportConnection {
        final List<String> calls = new ArrayList<>();
        TransportListener listener;

        @Override
        public void connect() {
            calls.add("connect");
        }

        @Override
        public void subscribe(Collection<String> symbols) {
            calls.add("subscribe " + symbols);
        }

        @Override
        public void unsubscribe(Collection<String> symbols) {
            calls.add("unsubscribe " + symbols);
        }

        @Override
        public void abort() {
            calls.add("abort");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    /** What the manager would see. */
    private static final class Seen implements TransportListener {
        final List<String> got = new ArrayList<>();

        @Override
        public void onConnected() {
            got.add("connected");
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            got.add("disconnected " + reason);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            got.add("events " + events.size());
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            got.add("ack " + symbol + " " + subscribed);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            got.add("rejected " + symbol);
        }

        @Override
        public void onServerStatus(String status, String message) {
            got.add("status " + status);
        }

        @Override
        public void onError(String kind, String detail) {
            got.add("error " + kind);
        }
    }

    private final List<Recorded> made = new ArrayList<>();
    private final List<String> fakeTransports = new ArrayList<>();
    private final TransportFactory fake =
            new TransportFactory() {
                @Override
                public String name() {
                    return "fake";
                }

                @Override
                public Transport create(TransportContext context) {
                    fakeTransports.add("created");
                    return new Transport() {
                        @Override
                        public TransportConnection create(
                                ConnectionSpec spec, TransportListener l) {
                            Recorded r = new Recorded();
                            r.listener = l;
                            made.add(r);
                            return r;
                        }

                        @Override
                        public void close() {
                            fakeTransports.add("closed");
                        }
                    };
                }
            };

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    /** The fenced transport as a manager makes it. */
    private Transport host(FencedTransport t) {
        return t.create(
                TransportContext.of(
                        ConfigFactory.empty(),
                        Clock.systemUTC(),
                        scheduler,
                        new SimpleMeterRegistry()));
    }

    @Test
    void itsTransportWrapsAndClosesTheConfiguredOne() {
        Transport t = host(new FencedTransport(fake, FencedTransport.CLOSED));
        assertThat(fakeTransports).containsExactly("created");
        t.close();
        assertThat(fakeTransports).containsExactly("created", "closed");
    }

    @Test
    void aStandbyConnectsNothing() {
        FencedTransport t = new FencedTransport(fake, FencedTransport.CLOSED);
        TransportConnection c = host(t).create(ConnectionSpec.of("connection_1"), new Seen());
        c.connect();
        assertThat(made.get(0).calls).isEmpty();
        assertThat(t.refusedConnects()).isEqualTo(1);
        assertThat(t.name()).isEqualTo("fake");
    }

    @Test
    void underAValidLeaseItConnectsReportsAcksAndAfterTheLeaseDropsEventsAbortsAndRefuses() {
        FencedTransport t = new FencedTransport(fake, FencedTransport.CLOSED);
        LeaseFence fence = new LeaseFence(9, System.nanoTime() + 60_000_000_000L);
        List<String> acked = new ArrayList<>();
        t.arm(fence, (conn, sym) -> acked.add(conn + " " + sym));
        Seen seen = new Seen();
        TransportConnection c = host(t).create(ConnectionSpec.of("connection_1"), seen);
        Recorded inner = made.get(0);
        c.connect();
        c.subscribe(List.of("AAPL"));
        inner.listener.onConnected();
        inner.listener.onAck("AAPL", true);
        inner.listener.onAck("MSFT", false);
        inner.listener.onEvents(List.of(MockEvents.trade("AAPL", 1, 1)));
        assertThat(inner.calls).containsExactly("connect", "subscribe [AAPL]");
        assertThat(acked).containsExactly("connection_1 AAPL");
        assertThat(seen.got)
                .containsExactly("connected", "ack AAPL true", "ack MSFT false", "events 1");

        fence.revoke();
        inner.listener.onEvents(List.of(MockEvents.trade("AAPL", 2, 2)));
        assertThat(t.droppedEvents()).isEqualTo(1);
        assertThat(t.abortAll()).isEqualTo(1);
        assertThat(inner.calls).endsWith("abort");
        c.connect(); // a reconnect after the loss
        assertThat(inner.calls).containsOnlyOnce("connect");
        inner.listener.onDisconnected(DisconnectReason.ABORT, 1006, "aborted");
        assertThat(seen.got).endsWith("disconnected ABORT").doesNotContain("events 2");
    }
}
