package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private static final Instant AT = Instant.ofEpochSecond(1_767_366_000L);

    private final List<MarketEvent> ticks = new ArrayList<>();
    private final List<StatusEvent> status = new ArrayList<>();

    private static WireMessage trade(String symbol) {
        return new WireMessage.Market(MockEvents.trade(symbol, 1, 1_000), "connection_1", 1);
    }

    private static WireMessage gap(String symbol) {
        return new WireMessage.Status(
                new StatusEvent.Gap(symbol, "connection_1", AT, AT, "test", AT));
    }

    private static WireMessage serverStatus() {
        return new WireMessage.Status(
                new StatusEvent.ServerStatus("connection_1", "max_connections", "", AT));
    }

    @Test
    void withTickersWantedOnlyTheirEventsAndGapsAndEveryOtherStatusArriveAndCount() {
        Delivery d = new Delivery(ticks::add, status::add, List.of("AAPL"));
        d.deliver(trade("AAPL"));
        d.deliver(trade("NVDA"));
        d.deliver(gap("AAPL"));
        d.deliver(gap("NVDA"));
        d.deliver(serverStatus());

        assertThat(ticks).extracting(MarketEvent::symbol).containsExactly("AAPL");
        assertThat(status)
                .containsExactly(
                        ((WireMessage.Status) gap("AAPL")).event(),
                        ((WireMessage.Status) serverStatus()).event());
        assertThat(d.delivered()).isEqualTo(3);
        assertThat(d.skipped()).isZero();
    }

    @Test
    void withNoTickersWantedEverythingArrives() {
        Delivery d = new Delivery(ticks::add, status::add, List.of());
        d.deliver(trade("AAPL"));
        d.deliver(trade("NVDA"));
        d.deliver(gap("TSLA"));

        assertThat(ticks).extracting(MarketEvent::symbol).containsExactly("AAPL", "NVDA");
        assertThat(status).hasSize(1);
        assertThat(d.delivered()).isEqualTo(3);
    }

    @Test
    void aListenersExceptionReachesTheCallerAndTheMessageIsNotCountedDelivered() {
        Delivery d =
                new Delivery(
                        e -> {
                            throw new IllegalStateException("boom");
                        },
                        status::add,
                        List.of());

        assertThatThrownBy(() -> d.deliver(trade("AAPL"))).hasMessage("boom");
        assertThat(d.delivered()).isZero();
        assertThat(d.errors()).as("the caller counts it").isZero();
    }

    @Test
    void skipsAndErrorsAreCountedApart() {
        Delivery d = new Delivery(ticks::add, status::add, List.of());
        d.countSkipped();
        d.countError();
        d.countError();

        assertThat(d.skipped()).isEqualTo(1);
        assertThat(d.errors()).isEqualTo(2);
        assertThat(d.delivered()).isZero();
    }
}
