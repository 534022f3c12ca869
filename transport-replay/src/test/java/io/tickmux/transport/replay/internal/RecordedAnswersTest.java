package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which subscriptions a recording answers, per connection. */
class RecordedAnswersTest {

    final RecordedAnswers answers = new RecordedAnswers();

    @Test
    void acksRefusalsAndTimeoutsAnswerASubscriptionOnTheirConnectionOnly() {
        answers.note(new Entry.Ack("c1", 0, "AAPL", true));
        answers.note(new Entry.Rejected("c1", 0, "BAD", "unknown ticker"));
        answers.note(new Entry.AckTimeout("c1", 0, "SLOW", "no ack"));
        assertThat(answers.answersSubscribe("c1", "AAPL")).isTrue();
        assertThat(answers.answersSubscribe("c1", "BAD")).isTrue();
        assertThat(answers.answersSubscribe("c1", "SLOW")).isTrue();
        assertThat(answers.answersSubscribe("c1", "MSFT")).isFalse();
        assertThat(answers.answersSubscribe("c2", "AAPL")).isFalse();
        assertThat(answers.answersUnsubscribe("c1", "AAPL")).isFalse();
    }

    @Test
    void anUnsubscribeAckAnswersTheUnsubscriptionOnly() {
        answers.note(new Entry.Ack("c1", 0, "AAPL", false));
        assertThat(answers.answersUnsubscribe("c1", "AAPL")).isTrue();
        assertThat(answers.answersSubscribe("c1", "AAPL")).isFalse();
    }

    @Test
    void aStateEntryAnswersWhatAConnectedConnectionHeld() {
        answers.note(new Entry.State("c1", 0, true, Set.of("AAPL", "MSFT")));
        answers.note(new Entry.State("c2", 0, false, Set.of("TSLA")));
        assertThat(answers.answersSubscribe("c1", "AAPL")).isTrue();
        assertThat(answers.answersSubscribe("c1", "MSFT")).isTrue();
        assertThat(answers.answersSubscribe("c2", "TSLA")).as("c2 was down").isFalse();
    }
}
