package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.mock.MockEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session's parts: its held acks, the topics it holds, and its record of what it was sent. */
class SessionPartsTest {

    @Test
    void heldAcksGoOutOnReleaseInTheOrderOwedAndLaterOnesGoStraightOut() {
        List<String> out = new ArrayList<>();
        AckHold acks = new AckHold(out::add);
        acks.send("a1", 1);
        assertThat(out).containsExactly("a1");
        acks.hold();
        acks.send("a2+a3", 2);
        acks.send("a4", 1);
        assertThat(out).containsExactly("a1");
        assertThat(acks.held()).isEqualTo(3);
        acks.release();
        assertThat(out).containsExactly("a1", "a2+a3", "a4");
        assertThat(acks.held()).isZero();
        acks.send("a5", 1);
        assertThat(out).containsExactly("a1", "a2+a3", "a4", "a5");
        acks.release();
        assertThat(out).as("nothing is sent twice").hasSize(4);
    }

    @Test
    void aTopicIsWantedExactlyOrByItsChannelsWildcard() {
        HeldTopics topics = new HeldTopics();
        assertThat(topics.add("T.AAPL")).isTrue();
        assertThat(topics.add("T.AAPL")).as("already held: no second ack").isFalse();
        topics.add("Q.BRK.A");
        topics.add("AM.*");
        assertThat(topics.tickers()).containsExactly("AAPL", "BRK.A", "*");
        assertThat(topics.wants("T", "AAPL")).isTrue();
        assertThat(topics.wants("Q", "AAPL")).isFalse();
        assertThat(topics.wants("Q", "BRK.A")).isTrue();
        assertThat(topics.wants("AM", "ANYTHING")).isTrue();
        assertThat(topics.wants("A", "ANYTHING")).isFalse();
        topics.remove("T.AAPL");
        topics.remove("T.NEVER");
        assertThat(topics.wants("T", "AAPL")).isFalse();
        assertThat(topics.topics()).containsExactlyInAnyOrder("Q.BRK.A", "AM.*");
    }

    @Test
    void theRecordCountsEveryFrameAndEventAndKeepsEventsOnlyWhenAsked() {
        SentRecord sent = new SentRecord();
        MarketEvent a1 = MockEvents.trade("AAPL", 1, 1_700_000_000_000L);
        MarketEvent m1 = MockEvents.trade("MSFT", 1, 1_700_000_000_001L);
        MarketEvent a2 = MockEvents.quote("AAPL", 2, 1_700_000_000_002L);
        sent.frame(List.of(a1, m1), true);
        sent.frame(List.of(a2), false);
        sent.unasked(5);
        assertThat(sent.frames()).isEqualTo(2);
        assertThat(sent.count("AAPL")).isEqualTo(2);
        assertThat(sent.count("MSFT")).isEqualTo(1);
        assertThat(sent.count("TSLA")).isZero();
        assertThat(sent.events()).containsExactly(a1, m1);
        assertThat(sent.unasked()).isEqualTo(5);
    }
}
