package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The connection cap per key: counts open connections and evicts the oldest past the cap. */
class ConnectionCapTest {

    private final Set<String> closed = new HashSet<>();
    private final ConnectionCap<String> cap = new ConnectionCap<>(2, c -> !closed.contains(c));

    @Test
    void withinTheCapNothingIsEvictedAndEachAdmissionCountsTheKeysOpenConnections() {
        assertThat(cap.admit("k", "c1")).isEqualTo(new ConnectionCap.Admission<>(1, null));
        assertThat(cap.admit("k", "c2")).isEqualTo(new ConnectionCap.Admission<>(2, null));
        assertThat(cap.evictions()).isZero();
    }

    @Test
    void pastTheCapTheOldestIsEvictedAndTheNewcomerStays() {
        cap.admit("k", "c1");
        cap.admit("k", "c2");
        assertThat(cap.admit("k", "c3"))
                .as("counted before the eviction")
                .isEqualTo(new ConnectionCap.Admission<>(3, "c1"));
        assertThat(cap.admit("k", "c4")).isEqualTo(new ConnectionCap.Admission<>(3, "c2"));
        assertThat(cap.evictions()).isEqualTo(2);
    }

    @Test
    void closedConnectionsNoLongerCount() {
        cap.admit("k", "c1");
        cap.admit("k", "c2");
        closed.add("c1");
        assertThat(cap.admit("k", "c3")).isEqualTo(new ConnectionCap.Admission<>(2, null));
        closed.add("c3");
        assertThat(cap.admit("k", "c4")).isEqualTo(new ConnectionCap.Admission<>(2, null));
        assertThat(cap.admit("k", "c5")).isEqualTo(new ConnectionCap.Admission<>(3, "c2"));
        assertThat(cap.evictions()).isEqualTo(1);
    }

    @Test
    void eachKeyHasACapOfItsOwn() {
        cap.admit("a", "a1");
        cap.admit("a", "a2");
        assertThat(cap.admit("b", "b1")).isEqualTo(new ConnectionCap.Admission<>(1, null));
        assertThat(cap.admit("b", "b2")).isEqualTo(new ConnectionCap.Admission<>(2, null));
        assertThat(cap.evictions()).isZero();
    }
}
