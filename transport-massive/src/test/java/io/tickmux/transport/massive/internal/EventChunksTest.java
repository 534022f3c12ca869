package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventChunksTest {

    private final List<List<Long>> chunks = new ArrayList<>();
    private final List<RuntimeException> failures = new ArrayList<>();
    private boolean throwOnce;

    private final EventChunks events =
            new EventChunks(
                    new TransportListener() {
                        @Override
                        public void onEvents(List<MarketEvent> e) {
                            if (throwOnce) {
                                throwOnce = false;
                                throw new IllegalStateException("listener bug");
                            }
                            chunks.add(e.stream().map(t -> ((Trade) t).sequence()).toList());
                        }

                        @Override
                        public void onConnected() {}

                        @Override
                        public void onDisconnected(DisconnectReason r, int code, String detail) {}

                        @Override
                        public void onAck(String symbol, boolean subscribed) {}

                        @Override
                        public void onRejected(String symbol, String reason) {}

                        @Override
                        public void onServerStatus(String status, String message) {}

                        @Override
                        public void onError(String kind, String detail) {}
                    },
                    failures::add);

    @Test
    void fullChunksGoAtOnceAndTheRestOnFlush() {
        for (long q = 0; q < 10; q++) {
            events.add(trade(q));
        }
        assertThat(chunks).containsExactly(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L));
        events.flush();
        events.flush(); // nothing held: no empty call
        assertThat(chunks).hasSize(2).last().isEqualTo(List.of(8L, 9L));
    }

    @Test
    void aListenerThatThrowsLosesOnlyItsChunk() {
        throwOnce = true;
        for (long q = 0; q < 12; q++) {
            events.add(trade(q));
        }
        events.flush();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).hasMessage("listener bug");
        assertThat(chunks).containsExactly(List.of(8L, 9L, 10L, 11L));
    }

    private static Trade trade(long sequence) {
        return new Trade(
                "AAPL", 4, "t" + sequence, 3, 1.5, 10, null, null, 1L, -1, sequence, -1, -1);
    }
}
