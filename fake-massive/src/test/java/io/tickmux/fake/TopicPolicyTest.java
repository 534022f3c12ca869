package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.fake.TopicPolicy.Outcome;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What becomes of each param of a subscribe or unsubscribe message. */
class TopicPolicyTest {

    private final TopicPolicy policy = new TopicPolicy(Set.of("FMV"), Set.of("NOI"));

    @Test
    void topicsOnKnownChannelsAreActedOnWhateverTheTicker() {
        assertThat(policy.classify("T.AAPL")).isEqualTo(Outcome.ACCEPTED);
        assertThat(policy.classify("Q.BRK.A")).isEqualTo(Outcome.ACCEPTED);
        assertThat(policy.classify("AM.*")).isEqualTo(Outcome.ACCEPTED);
        assertThat(policy.classify("LULD.NOTATICKER")).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void unknownChannelsAndMalformedParamsAreDroppedSilently() {
        assertThat(policy.classify("ZZ.AAPL")).isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify("t.AAPL"))
                .as("prefixes are case-sensitive")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify("FMV.AAPL")).as("configured unknown").isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify("AAPL")).isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify(".AAPL")).isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify("T.")).isEqualTo(Outcome.UNKNOWN);
        assertThat(policy.classify("")).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void channelsOutsideThePlanAreNotAuthorized() {
        assertThat(policy.classify("NOI.AAPL")).isEqualTo(Outcome.NOT_AUTHORIZED);
        assertThat(policy.classify("NOI.*")).isEqualTo(Outcome.NOT_AUTHORIZED);
    }
}
