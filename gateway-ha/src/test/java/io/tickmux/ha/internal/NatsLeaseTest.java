package io.tickmux.ha.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.nats.client.Connection;
import io.tickmux.ha.HaSettings;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.testkit.bus.NatsServers;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lease against the real NATS: exclusive, compare-and-set, expiring, monotonic epochs. */
class NatsLeaseTest {

    private final String bucket =
            "ha_t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String url = NatsServers.shared();

    private HaSettings settings(String id, String ttl) {
        return HaSettings.from(
                ConfigFactory.parseString(
                                "tickmux.ha { mode = active-standby, gateway-id = "
                                        + id
                                        + ", url = \""
                                        + url
                                        + "\", bucket = "
                                        + bucket
                                        + ", storage = memory, ttl = "
                                        + ttl
                                        + ", renew-interval = 300ms, safety-margin = 200ms,"
                                        + " request-timeout = 200ms }")
                        .withFallback(ConfigFactory.defaultReference())
                        .resolve());
    }

    @AfterEach
    void dropBucket() throws Exception {
        try (Connection c = NatsServers.connect(url)) {
            c.keyValueManagement().delete(bucket);
        } catch (Exception e) {
            // not made by this test
        }
    }

    @Test
    void onlyOneHoldsItRenewalIsCompareAndSetAndAnExpiredLeaseGoesToTheNextWithAHigherEpoch()
            throws Exception {
        try (NatsLease a = new NatsLease(settings("A", "1s"));
                NatsLease b = new NatsLease(settings("B", "1s"))) {
            a.open();
            b.open();
            assertThat(b.read()).isNull();
            long epochA = a.create(new LeaseRecord("A", 0, 1, 1));
            assertThatThrownBy(() -> b.create(new LeaseRecord("B", 0, 2, 2)))
                    .isInstanceOf(NatsLease.Taken.class);
            NatsLease.Seen seen = b.read();
            assertThat(seen.record().holder()).isEqualTo("A");
            assertThat(seen.epoch()).isEqualTo(epochA);

            long rev = a.update(new LeaseRecord("A", epochA, 3, 3), epochA);
            assertThat(rev).isGreaterThan(epochA);
            assertThat(b.read().epoch()).as("the epoch stays the acquisition's").isEqualTo(epochA);
            // A renewal naming an old revision loses.
            assertThatThrownBy(() -> a.update(new LeaseRecord("A", epochA, 4, 4), epochA))
                    .isInstanceOf(NatsLease.Taken.class);

            // Nobody renews: the bucket's max-age removes the value, and B gets it.
            long[] epochB = new long[1];
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreException(NatsLease.Taken.class)
                    .untilAsserted(() -> epochB[0] = b.create(new LeaseRecord("B", 0, 5, 5)));
            assertThat(epochB[0]).isGreaterThan(rev);
            // A's old revision cannot renew B's lease.
            assertThatThrownBy(() -> a.update(new LeaseRecord("A", epochA, 6, 6), rev))
                    .isInstanceOf(NatsLease.Taken.class);

            // A release lets the next one in at once.
            b.release(epochB[0]);
            long again = a.create(new LeaseRecord("A", 0, 7, 7));
            assertThat(again).isGreaterThan(epochB[0]);
        }
    }

    @Test
    void aGatewayWithAnotherTtlThanTheBucketIsRefusedWithTheFix() throws Exception {
        try (NatsLease a = new NatsLease(settings("A", "2s"));
                NatsLease b = new NatsLease(settings("B", "3s"))) {
            a.open();
            assertThatThrownBy(b::open)
                    .isInstanceOf(TickmuxConfigException.class)
                    .hasMessageContaining("tickmux.ha.ttl is PT3S")
                    .hasMessageContaining("max-age PT2S")
                    .hasMessageContaining(bucket);
        }
    }

    @Test
    void theFenceIsValidUntilItsDeadlineOrRevokedAndNeverComesBack() {
        LeaseFence f = new LeaseFence(7, System.nanoTime() + 60_000_000_000L);
        assertThat(f.valid()).isTrue();
        assertThat(f.epoch()).isEqualTo(7);
        assertThat(f.extend(System.nanoTime() + 120_000_000_000L)).isTrue();
        f.revoke();
        assertThat(f.valid()).isFalse();
        assertThat(f.extend(System.nanoTime() + 180_000_000_000L)).isFalse();
        assertThat(f.valid()).isFalse();
        LeaseFence past = new LeaseFence(8, System.nanoTime() - 1);
        assertThat(past.valid()).isFalse();
        assertThat(past.extend(System.nanoTime() + 60_000_000_000L)).isFalse();
        assertThat(past.valid()).isFalse();
    }

    @Test
    void theValueRoundTripsAndToleratesForeignFields() {
        LeaseRecord r = new LeaseRecord("gw-1", 42, 1_000, 900);
        assertThat(LeaseRecord.decode(r.encode())).isEqualTo(r);
        LeaseRecord odd =
                LeaseRecord.decode(
                        "holder=x epoch=oops renewed=5 extra=1"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(odd).isEqualTo(new LeaseRecord("x", 0, 5, 0));
        assertThat(odd.epochOr(9)).isEqualTo(9);
        assertThat(r.epochOr(9)).isEqualTo(42);
    }
}
