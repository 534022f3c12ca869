package io.tickmux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.routing.ConnectionState;
import org.junit.jupiter.api.Test;

/**
 * The ledger's answers to a ticker let go before its subscribe was answered: the server names the
 * ticker, not the message, so that subscribe's answer must not be taken for a later one's.
 */
class SubscriptionLedgerTest {

    /** A ledger that sent a subscribe of X, let X go before an answer, and wants it again. */
    private static SubscriptionLedger resubscribedWhileAnswerOwed() {
        SubscriptionLedger l = new SubscriptionLedger();
        l.want("X");
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        l.release("X");
        assertThat(l.diff(0).unsubscribe()).containsExactly("X");
        l.want("X");
        return l;
    }

    @Test
    void aSubscribeIsHeldBackWhileTheAnswerToAnEarlierOneIsOwed() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        assertThat(l.diff(0).isEmpty()).isTrue();
        assertThat(l.snapshot(ConnectionState.CONNECTED, true).retrying()).containsExactly("X");
        assertThat(l.settled()).isFalse();
    }

    @Test
    void aLateRefusalIsTheEarlierSubscribesAndReleasesTheNextOne() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        l.diff(0);
        assertThat(l.answerOwed("X")).isTrue();
        assertThat(l.answerOwed("X")).as("owed once").isFalse();
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        l.unsubscribed("X");
        assertThat(l.ack("X")).as("the new subscribe's answer").isTrue();
        assertThat(l.refused()).isEmpty();
        assertThat(l.settled()).isTrue();
    }

    @Test
    void theUnsubscribesAckEndsTheWaitWhenTheEarlierSubscribeIsNeverAnswered() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        l.diff(0);
        l.unsubscribed("X");
        assertThat(l.answerOwed("X")).as("nothing owed after the unsubscribe's ack").isFalse();
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        assertThat(l.ack("X")).isTrue();
        assertThat(l.settled()).isTrue();
    }

    @Test
    void theAckOfAnEarlierUnsubscribeDoesNotEndTheWait() {
        SubscriptionLedger l = new SubscriptionLedger();
        l.want("X");
        l.diff(0);
        assertThat(l.ack("X")).isTrue();
        l.release("X");
        assertThat(l.diff(0).unsubscribe()).containsExactly("X"); // its ack is still out
        l.want("X");
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        l.release("X");
        assertThat(l.diff(0).unsubscribe()).containsExactly("X"); // the subscribe was pending
        l.want("X");
        assertThat(l.diff(0).isEmpty()).isTrue();

        l.unsubscribed("X"); // the first unsubscribe's ack: the subscribe's answer is still to come
        assertThat(l.diff(0).isEmpty()).isTrue();
        l.unsubscribed("X"); // the second's: that answer came before it or never will
        assertThat(l.diff(0).subscribe()).containsExactly("X");
    }

    @Test
    void givingUpTheUnsubscribeEndsTheWait() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        assertThat(l.diff(0).isEmpty()).isTrue();
        assertThat(l.expireUnsubscribes(0)).containsExactly("X");
        assertThat(l.diff(1).subscribe()).containsExactly("X");
    }

    @Test
    void givingUpTheUnsubscribeEndsTheWaitAfterAnEarlierOnesAck() {
        SubscriptionLedger l = new SubscriptionLedger();
        l.want("X");
        l.diff(0);
        l.ack("X");
        l.release("X");
        l.diff(0); // an unsubscribe whose ack comes
        l.want("X");
        l.diff(0);
        l.release("X");
        l.diff(10); // an unsubscribe whose ack never comes
        l.want("X");
        l.unsubscribed("X"); // the first one's ack
        assertThat(l.diff(10).isEmpty()).isTrue();
        l.expireUnsubscribes(9);
        assertThat(l.diff(10).isEmpty()).isTrue();
        l.expireUnsubscribes(10);
        assertThat(l.diff(20).subscribe()).containsExactly("X");
    }

    @Test
    void aRetryTimerDoesNotReleaseASubscribeHeldForAnAnswer() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        l.diff(0);
        assertThat(l.retryDue("X")).isFalse();
        assertThat(l.diff(0).isEmpty()).isTrue();
    }

    @Test
    void aTickerLetGoAfterItsAnswerIsSubscribedAgainAtOnce() {
        SubscriptionLedger l = new SubscriptionLedger();
        l.want("X");
        l.diff(0);
        assertThat(l.ack("X")).isTrue();
        l.release("X");
        l.diff(0);
        l.want("X");
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        assertThat(l.answerOwed("X")).isFalse();
    }

    @Test
    void aNewSocketOwesNothing() {
        SubscriptionLedger l = resubscribedWhileAnswerOwed();
        l.reset();
        assertThat(l.diff(0).subscribe()).containsExactly("X");
        assertThat(l.answerOwed("X")).isFalse();
    }
}
