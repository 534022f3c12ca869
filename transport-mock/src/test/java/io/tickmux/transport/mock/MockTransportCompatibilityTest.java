package io.tickmux.transport.mock;

import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.tck.TransportCompatibilityKit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The mock transport runs the transport kit first: it proves the kit itself. */
class MockTransportCompatibilityTest extends TransportCompatibilityKit {

    private final MockTransport mock = new MockTransport();

    @Override
    protected TransportFactory transport() {
        return mock;
    }

    @Override
    protected ServerControl server() {
        return new ServerControl() {
            @Override
            public void emitTrades(String connectionId, String symbol, int count) {
                List<io.tickmux.spi.event.MarketEvent> frame = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    frame.add(MockEvents.trade(symbol, i, 1_700_000_000_000L + i));
                }
                mock.connection(connectionId).emit(frame);
            }

            @Override
            public void drop(String connectionId) {
                mock.connection(connectionId).drop();
            }

            @Override
            public void closeCleanly(String connectionId) {
                mock.connection(connectionId).closeFromServer(1000, "bye");
            }

            @Override
            public void sendMalformed(String connectionId) {
                mock.connection(connectionId).sendError("malformed-frame", "not json");
            }

            @Override
            public Set<String> subscriptions(String connectionId) {
                MockConnection c = mock.connection(connectionId);
                c.flush(TIMEOUT);
                return c.serverSubscriptions();
            }
        };
    }
}
