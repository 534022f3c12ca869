package io.tickmux.transport.massive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.tck.TransportCompatibilityKit;
import io.tickmux.transport.mock.MockEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/** The Massive transport runs the transport kit against the fake server, over loopback. */
class MassiveTransportCompatibilityTest extends TransportCompatibilityKit {

    private final FakeMassiveServer server = FakeMassiveServer.builder().build().start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected TransportFactory transport() {
        return new MassiveTransportFactory();
    }

    @Override
    protected Config config() {
        return ConfigFactory.parseString(
                        "tickmux.transport.massive { url = \""
                                + server.url()
                                + "\", api-key = default-key, channels = [T, Q] }")
                .withFallback(ConfigFactory.load());
    }

    @Override
    protected ConnectionSpec spec(String id) {
        // One key per connection, so the kit's server control can find each connection's session.
        return new ConnectionSpec(id, id, ConfigFactory.parseString("api-key = key-" + id));
    }

    @Override
    protected ServerControl server() {
        return new ServerControl() {
            @Override
            public void emitTrades(String connectionId, String symbol, int count) {
                List<MarketEvent> trades = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    trades.add(MockEvents.trade(symbol, i, 1_700_000_000_000L + i));
                }
                server.publish(trades);
            }

            @Override
            public void drop(String connectionId) {
                server.liveSession("key-" + connectionId).abort();
            }

            @Override
            public void closeCleanly(String connectionId) {
                server.liveSession("key-" + connectionId).close(1000, "bye");
            }

            @Override
            public void sendMalformed(String connectionId) {
                server.liveSession("key-" + connectionId).sendMalformed();
            }

            @Override
            public Set<String> subscriptions(String connectionId) {
                return server.liveSession("key-" + connectionId).tickers();
            }
        };
    }
}
