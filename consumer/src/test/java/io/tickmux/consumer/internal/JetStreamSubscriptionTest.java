package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.tickmux.consumer.JetStreamSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The durable consumer a start makes, without a server. */
class JetStreamSubscriptionTest {

    private final JetStreamSource all = JetStreamSource.of("nats://127.0.0.1:4222", "recorder");
    private final JetStreamSource two = all.tickers(List.of("AAPL", "BRK.A"));

    @Test
    void everyTickerIsOneFilterUnderThePrefix() {
        assertThat(JetStreamSubscription.filters(all)).containsExactly("tickmux.>");
    }

    @Test
    void wantedTickersAreTheirEventsAndGapsAndEveryStatusEvent() {
        assertThat(JetStreamSubscription.filters(two))
                .containsExactly(
                        "tickmux.stocks.*.AAPL",
                        "tickmux.gap.AAPL",
                        "tickmux.stocks.*.BRK_A",
                        "tickmux.gap.BRK_A",
                        "tickmux.status.>");
    }

    @Test
    void theDurableDeliversFromTheStreamsStartWithoutAPositionElseRightAfterIt() {
        List<String> filters = JetStreamSubscription.filters(all);
        ConsumerConfiguration fresh = JetStreamSubscription.configuration(all, 0, filters, true);
        ConsumerConfiguration resumed = JetStreamSubscription.configuration(all, 41, filters, true);

        assertThat(fresh.getDeliverPolicy()).isEqualTo(DeliverPolicy.All);
        assertThat(resumed.getDeliverPolicy()).isEqualTo(DeliverPolicy.ByStartSequence);
        assertThat(resumed.getStartSequence()).isEqualTo(42);
        assertThat(resumed.getDurable()).isEqualTo("recorder");
        assertThat(resumed.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
        assertThat(resumed.getAckWait()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theAckPendingBudgetIsFourBatchesAndAtLeastAThousand() {
        List<String> filters = JetStreamSubscription.filters(all);

        assertThat(
                        JetStreamSubscription.configuration(batch(100), 0, filters, true)
                                .getMaxAckPending())
                .isEqualTo(1000);
        assertThat(
                        JetStreamSubscription.configuration(batch(500), 0, filters, true)
                                .getMaxAckPending())
                .isEqualTo(2000);
    }

    private JetStreamSource batch(int batch) {
        return new JetStreamSource(
                all.url(),
                all.stream(),
                all.prefix(),
                all.durable(),
                List.of(),
                all.ackWait(),
                batch);
    }

    @Test
    void aServerBefore210GetsOneFilterForEverythingUnderThePrefix() {
        List<String> filters = JetStreamSubscription.filters(two);

        assertThat(JetStreamSubscription.configuration(two, 0, filters, true).getFilterSubjects())
                .containsExactlyElementsOf(filters);
        assertThat(JetStreamSubscription.configuration(two, 0, filters, false).getFilterSubjects())
                .containsExactly("tickmux.>");
    }
}
