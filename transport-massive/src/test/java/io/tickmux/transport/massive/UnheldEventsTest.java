package io.tickmux.transport.massive;

import static io.tickmux.transport.massive.MassiveFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.fake.FakeSession;
import io.tickmux.routing.ConnectionState;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A server that sends a million events for tickers the connection never asked for, each a different
 * ticker, under a manager: every one is dropped before it reaches the manager, each is counted as
 * an error of that connection, none reaches the tick listener, and nothing anywhere grows with them
 * (no meter, no ticker, no per-ticker entry), while the ticker the connection does hold keeps
 * flowing.
 */
class UnheldEventsTest {

    private static final int EVENTS = 1_000_000;
    private static final int BATCH = 500;

    @Test
    void aMillionEventsForTickersNotHeldAreDroppedCountedAndCreateNoState() throws Exception {
        FakeMassiveServer server = FakeMassiveServer.builder().build().start();
        try (MassiveFixture f =
                new MassiveFixture(server, "channels = [T]", "", Map.of("c1", "key-1"))) {
            assertThat(f.manager.connectAll(Map.of("c1", List.of("AAPL")), TIMEOUT)).isTrue();
            FakeSession s = server.liveSession("key-1");
            long ts = 1_700_000_000_000L;
            // one event first, so whatever is made on a connection's first event exists already
            server.publish(List.of(trade("AAPL", 1, ts)));
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("AAPL")).as("AAPL").isEqualTo(1));
            Set<String> metersBefore = meterIds(f);

            long t0 = System.nanoTime();
            for (int from = 0; from < EVENTS; from += BATCH) {
                List<MarketEvent> batch = new ArrayList<>(BATCH);
                for (int i = from; i < from + BATCH; i++) {
                    batch.add(trade("Z" + i, i, ts));
                }
                s.sendUnasked(batch);
            }
            // A marker for the ticker the connection holds, sent after the flood on the same
            // socket: once it has arrived, every unheld event before it has been handled.
            server.publish(List.of(trade("AAPL", 2, ts)));
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(f.received("AAPL")).as("AAPL").isEqualTo(2));
            System.out.printf(
                    "%,d unheld events sent and dropped in %d ms%n",
                    EVENTS, (System.nanoTime() - t0) / 1_000_000);

            assertThat(s.unaskedSent()).isEqualTo(EVENTS);
            assertThat(f.health("c1").errors())
                    .as("one error per dropped event, on c1")
                    .isEqualTo(EVENTS);
            assertThat(f.received.keySet()).as("tickers the listener saw").containsOnly("AAPL");
            assertThat(
                            f.manager
                                    .meterRegistry()
                                    .get("tickmux.events.unwanted")
                                    .functionCounter()
                                    .count())
                    .as("nothing reached the manager's own unwanted-event filter")
                    .isZero();
            assertThat(f.manager.healthStatus().totalTickers()).isEqualTo(1);
            assertThat(f.manager.tickersOf("c1")).hasValue(List.of("AAPL"));
            assertThat(meterIds(f)).as("meters").isEqualTo(metersBefore);
            assertThat(f.manager.healthStatus().toMap().toString())
                    .as("health output")
                    .doesNotContain("Z0")
                    .doesNotContain("Z999999");
            assertThat(f.health("c1").state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(f.health("c1").reconnects()).isZero();
        }
    }

    private static Set<String> meterIds(MassiveFixture f) {
        Set<String> ids = new TreeSet<>();
        for (Meter m : f.manager.meterRegistry().getMeters()) {
            ids.add(m.getId().toString());
        }
        return ids;
    }

    private static Trade trade(String symbol, long seq, long t) {
        return new Trade(
                symbol, 4, Long.toString(seq), 3, 1.5, 10, null, new int[0], t, -1, seq, -1, -1);
    }
}
