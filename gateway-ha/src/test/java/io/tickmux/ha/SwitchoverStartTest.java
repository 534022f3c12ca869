package io.tickmux.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.ha.internal.LeaseRecord;
import io.tickmux.ha.internal.NatsLease;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a switchover's gaps start, from the previous holder's last value. */
class SwitchoverStartTest {

    private static final HaSettings SETTINGS =
            HaSettings.from(
                    ConfigFactory.parseString(
                                    "tickmux.ha { mode = active-standby, gateway-id = B, ttl = 3s,"
                                            + " gap-lead = 1s }")
                            .withFallback(ConfigFactory.defaultReference())
                            .resolve());
    private static final Instant ACQUIRED = Instant.parse("2026-12-01T10:00:10Z");
    private static final long S = 1_000_000_000L;

    private final SwitchoverStart start = new SwitchoverStart(SETTINGS);

    private static NatsLease.Seen seen(long epoch, long revision, long renewed, long through) {
        return new NatsLease.Seen(new LeaseRecord("A", epoch, renewed, through), revision);
    }

    private static long at(String instant) {
        return UnixNanos.of(Instant.parse(instant));
    }

    @Test
    void withNoHolderSeenTheGapsStartATtlAndTheLeadBeforeTheAcquisition() {
        Switchover s = start.at(null, 15, ACQUIRED);

        assertThat(s.from()).isEmpty();
        assertThat(s.fromEpoch()).isZero();
        assertThat(s.to()).isEqualTo("B");
        assertThat(s.toEpoch()).isEqualTo(15);
        assertThat(s.gapFrom()).isEqualTo(Instant.parse("2026-12-01T10:00:06Z"));
        assertThat(s.previousRenewal()).isNull();
        assertThat(s.acquired()).isEqualTo(ACQUIRED);
        assertThat(s.streaming()).isNull();
        assertThat(start.inheritedThrough(s)).isEqualTo(at("2026-12-01T10:00:07Z"));
    }

    @Test
    void theGapsStartAtThePreviousHoldersPublishedThroughTimeMinusTheLead() {
        Switchover s =
                start.at(
                        seen(12, 14, at("2026-12-01T10:00:05Z"), at("2026-12-01T10:00:04.5Z")),
                        15,
                        ACQUIRED);

        assertThat(s.from()).isEqualTo("A");
        assertThat(s.fromEpoch()).isEqualTo(12);
        assertThat(s.gapFrom()).isEqualTo(Instant.parse("2026-12-01T10:00:03.5Z"));
        assertThat(s.previousRenewal()).isEqualTo(Instant.parse("2026-12-01T10:00:05Z"));
        assertThat(start.inheritedThrough(s)).isEqualTo(at("2026-12-01T10:00:04.5Z"));
    }

    @Test
    void aMarkAfterTheRenewalOrNoneStartsTheGapsAtTheRenewal() {
        long renewed = at("2026-12-01T10:00:05Z");
        Instant expected = Instant.parse("2026-12-01T10:00:04Z");

        assertThat(start.at(seen(12, 14, renewed, renewed + S), 15, ACQUIRED).gapFrom())
                .as("a mark later than its own renewal")
                .isEqualTo(expected);
        assertThat(start.at(seen(12, 14, renewed, 0), 15, ACQUIRED).gapFrom())
                .as("no mark")
                .isEqualTo(expected);
    }

    @Test
    void theFirstValueOfAHolderCarriesNoEpochSoItsRevisionIsTheEpoch() {
        Switchover s = start.at(seen(0, 12, at("2026-12-01T10:00:05Z"), 0), 15, ACQUIRED);

        assertThat(s.fromEpoch()).isEqualTo(12);
    }

    @Test
    void unixNanosRoundTripBeforeAndAfterTheEpoch() {
        Instant before = Instant.parse("1969-12-31T23:59:59.25Z");
        Instant after = Instant.parse("2026-12-01T10:00:05.000000001Z");

        assertThat(UnixNanos.of(before)).isEqualTo(-750_000_000L);
        assertThat(UnixNanos.instant(UnixNanos.of(before))).isEqualTo(before);
        assertThat(UnixNanos.instant(UnixNanos.of(after))).isEqualTo(after);
    }
}
