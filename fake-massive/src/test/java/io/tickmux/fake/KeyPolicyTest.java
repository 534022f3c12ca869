package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.fake.KeyPolicy.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keys authenticate on the socket and which the REST API answers. */
class KeyPolicyTest {

    @Test
    void anyKeyButTheRejectedOnesByDefault() {
        KeyPolicy keys = new KeyPolicy(true, Set.of(), Set.of("bad"), Set.of());
        assertThat(keys.onSocket("anything")).isEqualTo(Verdict.ACCEPTED);
        assertThat(keys.onSocket("bad")).isEqualTo(Verdict.FAILED);
        assertThat(keys.valid("anything")).isTrue();
        assertThat(keys.valid("bad")).isFalse();
    }

    @Test
    void onlyTheAcceptedKeysWhenSomeAreNamed() {
        KeyPolicy keys = new KeyPolicy(false, Set.of("k1", "k2"), Set.of("k2"), Set.of());
        assertThat(keys.onSocket("k1")).isEqualTo(Verdict.ACCEPTED);
        assertThat(keys.onSocket("k3")).isEqualTo(Verdict.FAILED);
        assertThat(keys.onSocket("k2")).as("rejected wins over accepted").isEqualTo(Verdict.FAILED);
    }

    @Test
    void anUnentitledKeyIsRefusedOnTheSocketWithItsOwnVerdictButAnsweredOverRest() {
        KeyPolicy keys =
                new KeyPolicy(false, Set.of("plan"), Set.of("gone"), Set.of("plan", "gone"));
        assertThat(keys.onSocket("plan")).isEqualTo(Verdict.UNENTITLED);
        assertThat(keys.onSocket("gone")).isEqualTo(Verdict.UNENTITLED);
        assertThat(keys.valid("plan")).isTrue();
        assertThat(keys.valid("gone")).isFalse();
    }
}
