package io.tickmux.transport.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.tck.RecordingTransportListener;
import io.tickmux.tck.RecordingTransportListener.Ack;
import io.tickmux.tck.RecordingTransportListener.Rejected;
import io.tickmux.transport.mock.internal.SubscriptionBook.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubscriptionBookTest {

    private static final Map<String, String> NONE = Map.of();

    @Test
    void subscribesAreAckedInTheOrderSentOrHeldWhileAutoAckIsOff() {
        SubscriptionBook book = new SubscriptionBook(true);
        assertThat(book.subscribe(List.of("B", "A"), NONE::get))
                .containsExactly(new Reply("B", true, null), new Reply("A", true, null));

        book.autoAck(false);
        assertThat(book.subscribe(List.of("D", "C"), NONE::get)).isEmpty();
        assertThat(book.subscriptions()).containsExactlyInAnyOrder("A", "B", "C", "D");
        assertThat(book.unacked()).containsExactlyInAnyOrder("C", "D");
        assertThat(book.takeUnacked(null, Integer.MAX_VALUE)).containsExactly("D", "C");
        assertThat(book.unacked()).isEmpty();
    }

    @Test
    void aSubscribeWithAutoAckBackOnAcknowledgesAHeldSymbol() {
        SubscriptionBook book = new SubscriptionBook(false);
        book.subscribe(List.of("A"), NONE::get);
        book.autoAck(true);

        assertThat(book.subscribe(List.of("A"), NONE::get))
                .containsExactly(new Reply("A", true, null));
        assertThat(book.unacked()).isEmpty();
    }

    @Test
    void theConnectionsRefusalComesBeforeTheTransportsAndARefusedSymbolIsNotSubscribed() {
        SubscriptionBook book = new SubscriptionBook(true);
        book.reject("A", "delisted");
        Map<String, String> shared = Map.of("A", "not authorized", "P", "not authorized");

        assertThat(book.subscribe(List.of("A", "P", "B"), shared::get))
                .containsExactly(
                        new Reply("A", true, "delisted"),
                        new Reply("P", true, "not authorized"),
                        new Reply("B", true, null));
        assertThat(book.subscriptions()).containsExactly("B");

        book.unreject("A");
        assertThat(book.subscribe(List.of("A"), shared::get))
                .containsExactly(new Reply("A", true, "not authorized"));
        book.reject("C", "no");
        assertThat(book.unrejectAll()).containsExactly("C");
        assertThat(book.subscribe(List.of("C"), shared::get))
                .containsExactly(new Reply("C", true, null));
    }

    @Test
    void unsubscribeDropsHeldSubscriptionsTooAndIsAckedUnlessAcksAreDropped() {
        SubscriptionBook book = new SubscriptionBook(false);
        book.subscribe(List.of("A", "B", "C"), NONE::get);

        assertThat(book.unsubscribe(List.of("A"))).containsExactly(new Reply("A", false, null));
        book.dropUnsubscribeAcks(true);
        assertThat(book.unsubscribe(List.of("B"))).isEmpty();

        assertThat(book.subscriptions()).containsExactly("C");
        assertThat(book.unacked()).containsExactly("C");
    }

    @Test
    void eventsAreSentForSubscribedSymbolsOrAll() {
        SubscriptionBook book = new SubscriptionBook(true);
        book.subscribe(List.of("A"), NONE::get);
        assertThat(book.sends("A")).isTrue();
        assertThat(book.sends("B")).isFalse();

        book.subscribe(List.of("*"), NONE::get);
        assertThat(book.sends("B")).isTrue();
    }

    @Test
    void aShuffledReleaseTakesAtMostMaxInASeededOrderAndHoldsTheRest() {
        List<List<String>> taken = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            SubscriptionBook book = new SubscriptionBook(false);
            book.subscribe(List.of("A", "B", "C", "D", "E"), NONE::get);
            List<String> first = book.takeUnacked(new Random(42), 2);
            assertThat(first).hasSize(2);
            assertThat(book.unacked()).hasSize(3).doesNotContainAnyElementsOf(first);
            taken.add(first);
        }
        assertThat(taken.get(0)).isEqualTo(taken.get(1));
    }

    @Test
    void timedOutAcksAreForgottenWhileAckedSubscriptionsStay() {
        SubscriptionBook book = new SubscriptionBook(true);
        book.subscribe(List.of("A"), NONE::get);
        book.autoAck(false);
        book.subscribe(List.of("C", "B"), NONE::get);

        assertThat(book.forgetUnacked()).containsExactly("C", "B");
        assertThat(book.subscriptions()).containsExactly("A");
        assertThat(book.unacked()).isEmpty();
    }

    @Test
    void clearForgetsTheSessionButKeepsRefusalsAndSettings() {
        SubscriptionBook book = new SubscriptionBook(false);
        book.reject("X", "no");
        book.subscribe(List.of("A"), NONE::get);

        book.clear();

        assertThat(book.subscriptions()).isEmpty();
        assertThat(book.unacked()).isEmpty();
        assertThat(book.subscribe(List.of("X", "B"), NONE::get))
                .containsExactly(new Reply("X", true, "no"));
        assertThat(book.unacked()).containsExactly("B");
    }

    @Test
    void aReplyTellsTheHostAnAckOrARefusal() {
        RecordingTransportListener host = new RecordingTransportListener(Duration.ofSeconds(5));

        new Reply("A", false, null).deliverTo(host);
        new Reply("B", true, "no").deliverTo(host);

        assertThat(host.pending()).containsExactly(new Ack("A", false), new Rejected("B", "no"));
    }
}
