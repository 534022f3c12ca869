package io.tickmux.consumer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.consumer.Checkpoint;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One JetStream message's steps, without a server: the handler as the delivery loop calls it. */
class MessageHandlerTest {

    private static final String SUBJECT = "tickmux.stocks.T.AAPL";

    private final WireWriter writer = new WireWriter();

    /** What happened, in order: "tick AAPL 3 at 5" (sequence, position), "store 5", ... */
    private final List<String> log = new ArrayList<>();

    private final Checkpoint checkpoint =
            new Checkpoint() {
                @Override
                public long load() {
                    return 0;
                }

                @Override
                public void store(long position) {
                    log.add("store " + position);
                }
            };

    private StreamPosition position;
    private boolean throwing;
    private final Delivery delivery =
            new Delivery(
                    e -> {
                        if (throwing) {
                            throw new IllegalStateException("listener bug");
                        }
                        log.add("tick " + e.symbol() + " at " + position.get());
                    },
                    s -> log.add("status " + ((StatusEvent.Gap) s).symbol()),
                    List.of("AAPL"));

    private final EpochFence fence = new EpochFence("d");

    private MessageHandler handler() {
        position = new StreamPosition("d", checkpoint, delivery);
        return new MessageHandler("d", delivery, position, fence);
    }

    private byte[] trade(String symbol, long epoch) {
        MarketEvent e = MockEvents.trade(symbol, 1, 1_000);
        return writer.market(e, "connection_1", 1, epoch);
    }

    @Test
    void aMessageIsDeliveredAtItsPositionAndStoredAfterTheListenerReturned() {
        MessageHandler h = handler();
        h.handle(5, SUBJECT, trade("AAPL", 0));

        assertThat(log).containsExactly("tick AAPL at 5", "store 5");
        assertThat(position.get()).isEqualTo(5);
        assertThat(delivery.delivered()).isEqualTo(1);
    }

    @Test
    void aMessageAtOrBeforeThePositionIsSkippedAndNotStoredAgain() {
        MessageHandler h = handler();
        position.moveTo(5);
        h.handle(4, SUBJECT, trade("AAPL", 0));
        h.handle(5, SUBJECT, trade("AAPL", 0));

        assertThat(log).isEmpty();
        assertThat(delivery.skipped()).isEqualTo(2);
        assertThat(position.get()).isEqualTo(5);
    }

    @Test
    void anUnwantedTickersMessageMovesThePositionAndIsStoredWithoutAListenerCall() {
        MessageHandler h = handler();
        h.handle(6, "tickmux.stocks.T.NVDA", trade("NVDA", 0));

        assertThat(log).containsExactly("store 6");
        assertThat(delivery.delivered()).isZero();
        assertThat(delivery.skipped()).isZero();
    }

    @Test
    void anUnreadableMessageIsAnErrorAndPassedSoItNeverBlocksTheFeed() {
        MessageHandler h = handler();
        h.handle(7, SUBJECT, "not json".getBytes(UTF_8));
        h.handle(8, SUBJECT, trade("AAPL", 0));

        assertThat(log).containsExactly("store 7", "tick AAPL at 8", "store 8");
        assertThat(delivery.errors()).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsIsAnErrorAndTheMessageStillCountsAsHandled() {
        MessageHandler h = handler();
        throwing = true;
        h.handle(9, SUBJECT, trade("AAPL", 0));
        throwing = false;
        h.handle(9, SUBJECT, trade("AAPL", 0));

        assertThat(log).containsExactly("store 9");
        assertThat(delivery.errors()).isEqualTo(1);
        assertThat(delivery.skipped()).as("its redelivery").isEqualTo(1);
    }

    @Test
    void aMessageOfAnOlderEpochIsFencedOffButItsPositionStored() {
        MessageHandler h = handler();
        h.handle(1, SUBJECT, trade("AAPL", 7));
        h.handle(2, SUBJECT, trade("AAPL", 5));
        Instant at = Instant.ofEpochSecond(1_767_366_000L);
        h.handle(
                3,
                "tickmux.gap.AAPL",
                writer.status(new StatusEvent.Gap("AAPL", "connection_1", at, at, "t", at), 7));

        assertThat(log)
                .containsExactly("tick AAPL at 1", "store 1", "store 2", "status AAPL", "store 3");
        assertThat(fence.dropped()).isEqualTo(1);
        assertThat(position.get()).isEqualTo(3);
    }
}
