package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One socket's asks and acks, counted per channel, and the tickers it holds. */
class TopicLedgerTest {

    /** Three channels: every ticker takes three acks. */
    private final TopicLedger ledger = new TopicLedger(3);

    @Test
    void aTickerIsAcknowledgedWhenItsLastChannelIs() {
        ledger.asked(true, List.of("AAPL", "MSFT"));

        assertThat(ledger.acked(true, "AAPL")).isFalse();
        assertThat(ledger.acked(true, "MSFT")).isFalse();
        assertThat(ledger.acked(true, "AAPL")).isFalse();
        assertThat(ledger.acked(true, "AAPL")).as("AAPL's third ack").isTrue();
        assertThat(ledger.acked(true, "AAPL")).as("a duplicate after it").isFalse();
    }

    @Test
    void anAckForSomethingNotAskedIsIgnored() {
        ledger.asked(true, List.of("AAPL"));

        assertThat(ledger.acked(true, "MSFT")).isFalse();
        assertThat(ledger.acked(false, "AAPL")).as("an unsubscribe ack for a subscribe").isFalse();
        ledger.acked(true, "AAPL");
        ledger.acked(true, "AAPL");
        assertThat(ledger.acked(true, "AAPL")).as("the unsubscribe ack did not count").isTrue();
    }

    @Test
    void onlyTickersAskedForAreHeldAndAWildcardHoldsAll() {
        assertThat(ledger.holds("AAPL")).isFalse();
        ledger.asked(true, List.of("AAPL"));
        assertThat(ledger.holds("AAPL")).as("held before its acks").isTrue();
        assertThat(ledger.holds("MSFT")).isFalse();

        ledger.asked(true, List.of("*"));
        assertThat(ledger.holds("MSFT")).isTrue();
    }

    @Test
    void aTickerLetGoIsHeldUntilItsUnsubscribeIsAcknowledged() {
        ledger.asked(true, List.of("AAPL"));
        ledger.asked(false, List.of("AAPL"));
        ledger.acked(false, "AAPL");
        ledger.acked(false, "AAPL");
        assertThat(ledger.holds("AAPL")).as("events still in flight are wanted").isTrue();

        assertThat(ledger.acked(false, "AAPL")).isTrue();
        assertThat(ledger.holds("AAPL")).isFalse();
    }

    @Test
    void aTickerSubscribedAgainBeforeItsUnsubscribeAckStaysHeld() {
        ledger.asked(true, List.of("AAPL"));
        ledger.asked(false, List.of("AAPL"));
        ledger.asked(true, List.of("AAPL"));
        for (int i = 0; i < 3; i++) {
            ledger.acked(false, "AAPL");
        }

        assertThat(ledger.holds("AAPL")).isTrue();
    }

    @Test
    void unsubscribingATickerNeverHeldDoesNotHoldIt() {
        ledger.asked(false, List.of("AAPL"));

        assertThat(ledger.holds("AAPL")).isFalse();
    }

    @Test
    void anExpiredSubscribeReportsWhatIsMissingAndIgnoresLateAcks() {
        ledger.asked(true, List.of("AAPL", "MSFT", "IBM"));
        ledger.acked(true, "MSFT");
        for (int i = 0; i < 3; i++) {
            ledger.acked(true, "IBM");
        }

        assertThat(ledger.expire(List.of("AAPL", "MSFT", "IBM")))
                .containsExactly(entry("AAPL", 3), entry("MSFT", 2));
        assertThat(ledger.acked(true, "MSFT")).isFalse();
        assertThat(ledger.acked(true, "MSFT")).as("MSFT's last ack, too late").isFalse();
        assertThat(ledger.expire(List.of("AAPL"))).as("reported once").isEmpty();
    }

    @Test
    void anExpiryLeavesOtherMessagesAndUnsubscribesAlone() {
        ledger.asked(true, List.of("AAPL"));
        ledger.asked(true, List.of("MSFT"));
        ledger.asked(false, List.of("IBM"));

        assertThat(ledger.expire(List.of("AAPL", "IBM"))).containsOnlyKeys("AAPL");
        ledger.acked(true, "MSFT");
        ledger.acked(true, "MSFT");
        assertThat(ledger.acked(true, "MSFT")).isTrue();
    }

    @Test
    void anEndedSocketForgetsItsPendingAcksButNotItsTickers() {
        ledger.asked(true, List.of("AAPL"));
        ledger.asked(false, List.of("AAPL"));

        ledger.forgetPending();

        for (int i = 0; i < 3; i++) {
            assertThat(ledger.acked(true, "AAPL")).isFalse();
            assertThat(ledger.acked(false, "AAPL")).isFalse();
        }
        assertThat(ledger.expire(List.of("AAPL"))).isEmpty();
        assertThat(ledger.holds("AAPL")).isTrue();
    }
}
