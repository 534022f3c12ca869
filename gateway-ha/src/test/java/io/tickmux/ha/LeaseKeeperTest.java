package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.nats.client.Connection;
import io.tickmux.ha.internal.LeaseFence;
import io.tickmux.ha.internal.LeaseRecord;
import io.tickmux.ha.internal.NatsLease;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease kept against the real NATS, for a recording holder: acquisition, renewals that carry
 * the holder's published-through mark, a clean stop that releases, and a loss at the local deadline
 * when the store cannot be reached.
 */
class LeaseKeeperTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final String bucket =
            "ha_k" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    private final String nats = NatsServers.shared();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** What a keeper told its holder, in order. */
    private record Told(String what, LeaseFence fence, Switchover switchover, String why) {}

    /** A holder that records what it is told; its sinks' mark is the time it is asked at. */
    private static final class Recording implements LeaseHolder {
        final BlockingQueue<Told> told = new LinkedBlockingQueue<>(100);
        volatile long handedOverEpoch;

        @Override
        public void acquired(LeaseFence fence, Switchover switchover) {
            told.add(new Told("acquired", fence, switchover, ""));
        }

        @Override
        public void lost(LeaseFence fence, String why) {
            told.add(new Told("lost", fence, null, why));
        }

        @Override
        public long publishedThrough(long nowNanos) {
            return nowNanos;
        }

        @Override
        public long handedOverNanos(long epoch) {
            return epoch == handedOverEpoch ? 1 : 0;
        }

        Told next() throws InterruptedException {
            Told t = told.poll(LONG.toSeconds(), TimeUnit.SECONDS);
            assertThat(t).as("told within " + LONG).isNotNull();
            return t;
        }
    }

    private HaSettings settings(String id, String url, String lease) {
        return HaSettings.from(
                ConfigFactory.parseString(
                                "tickmux.ha { mode = active-standby, gateway-id = "
                                        + id
                                        + ", url = \""
                                        + url
                                        + "\", bucket = "
                                        + bucket
                                        + ", storage = memory, "
                                        + lease
                                        + " }")
                        .withFallback(ConfigFactory.defaultReference())
                        .resolve());
    }

    /** A lease of a minute: only a release hands it over within the test's waits. */
    private static final String MINUTE =
            "ttl = 60s, renew-interval = 200ms, safety-margin = 5s, acquire-interval = 100ms";

    private LeaseKeeper keeper(HaSettings s, LeaseHolder holder) throws Exception {
        LeaseKeeper k = new LeaseKeeper(s, new NatsLease(s));
        closing.add(
                () -> {
                    k.stopAcquiring();
                    k.stop();
                    k.close();
                });
        k.open();
        k.start(holder);
        return k;
    }

    private NatsLease reader() throws Exception {
        NatsLease r = new NatsLease(settings("reader", nats, MINUTE));
        closing.add(r);
        r.open();
        return r;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        try (Connection c = NatsServers.connect(nats)) {
            c.keyValueManagement().delete(bucket);
        } catch (Exception e) {
            // never made
        }
    }

    @Test
    void aHolderRenewsWithItsMarkAnotherStandsByAndAStopHandsTheLeaseOverAtOnce() throws Exception {
        Recording holderA = new Recording();
        HaSettings settingsA = settings("A", nats, MINUTE);
        LeaseKeeper a = keeper(settingsA, holderA);
        Told acquired = holderA.next();
        assertThat(acquired.what()).isEqualTo("acquired");
        long epoch = acquired.fence().epoch();
        Switchover first = acquired.switchover();
        assertThat(first.from()).as("nobody seen before").isEmpty();
        assertThat(first.toEpoch()).isEqualTo(epoch);
        assertThat(acquired.fence().valid()).isTrue();
        assertThat(a.holder()).isEqualTo("A");
        assertThat(a.holderEpoch()).isEqualTo(epoch);
        assertThat(a.switchovers()).isEqualTo(1);

        // Until its gaps are handed over it passes on the mark it inherited, under its epoch.
        NatsLease reader = reader();
        long inherited = new SwitchoverStart(settingsA).inheritedThrough(first);
        await().atMost(LONG)
                .untilAsserted(
                        () -> {
                            LeaseRecord r = reader.read().record();
                            assertThat(r.epoch()).isEqualTo(epoch);
                            assertThat(r.throughNanos()).isEqualTo(inherited);
                        });
        // Handed over: its sinks' mark from then on.
        holderA.handedOverEpoch = epoch;
        await().atMost(LONG)
                .untilAsserted(
                        () -> {
                            LeaseRecord r = reader.read().record();
                            assertThat(r.throughNanos()).isEqualTo(r.renewedNanos());
                        });

        Recording holderB = new Recording();
        LeaseKeeper b = keeper(settings("B", nats, MINUTE), holderB);
        await().atMost(LONG).untilAsserted(() -> assertThat(b.holder()).isEqualTo("A"));
        assertThat(b.holderEpoch()).isEqualTo(epoch);
        assertThat(holderB.told).isEmpty();

        a.stopAcquiring();
        a.stop();

        assertThat(acquired.fence().valid()).as("revoked on stop").isFalse();
        assertThat(holderA.told).as("a stop is no loss").isEmpty();
        assertThat(a.losses()).isZero();
        Told takeover = holderB.next();
        assertThat(takeover.what()).isEqualTo("acquired");
        Switchover s = takeover.switchover();
        assertThat(s.from()).isEqualTo("A");
        assertThat(s.fromEpoch()).isEqualTo(epoch);
        assertThat(s.to()).isEqualTo("B");
        assertThat(s.toEpoch()).isGreaterThan(epoch);
        assertThat(b.holder()).isEqualTo("B");
    }

    @Test
    void aHolderCutFromTheStoreLosesTheLeaseAtItsLocalDeadlineAndAcquiresItAgainLater()
            throws Exception {
        TcpProxy bus = TcpProxy.toNats(nats);
        closing.add(bus);
        Recording holder = new Recording();
        LeaseKeeper k =
                keeper(
                        settings(
                                "A",
                                bus.natsUrl(),
                                "ttl = 1500ms, renew-interval = 300ms, safety-margin = 300ms,"
                                        + " request-timeout = 200ms, acquire-interval = 100ms"),
                        holder);
        Told acquired = holder.next();
        assertThat(acquired.what()).isEqualTo("acquired");

        bus.cut();

        Told lost = holder.next();
        assertThat(lost.what()).isEqualTo("lost");
        assertThat(lost.fence()).isSameAs(acquired.fence());
        assertThat(lost.fence().valid()).isFalse();
        assertThat(lost.why()).contains("expired by the local clock");
        assertThat(k.losses()).isEqualTo(1);
        assertThat(k.lastLost()).isEqualTo(lost.why());
        await().atMost(LONG).untilAsserted(() -> assertThat(k.reachable()).isFalse());

        bus.restore();

        Told again = holder.next();
        assertThat(again.what()).isEqualTo("acquired");
        assertThat(again.switchover().to()).isEqualTo("A");
        assertThat(again.fence().epoch()).isGreaterThan(acquired.fence().epoch());
        assertThat(k.reachable()).isTrue();
        assertThat(k.switchovers()).isEqualTo(2);
    }
}
