package io.tickmux.ha;

import io.tickmux.ha.internal.LeaseRecord;
import io.tickmux.ha.internal.NatsLease;
import java.time.Instant;

/**
 * Where a switchover to this gateway starts, worked out from the last value of the lease it saw
 * (the previous holder's): its switchover gaps start at the previous holder's published-through
 * time (never later than its last renewal) minus {@code gap-lead}; when no holder was seen since
 * this gateway started, {@code ttl} plus {@code gap-lead} before the acquisition. Pure.
 */
final class SwitchoverStart {

    private final HaSettings settings;

    SwitchoverStart(HaSettings settings) {
        this.settings = settings;
    }

    /**
     * @param previous the lease's last value this gateway saw; {@code null} when none was seen
     * @param epoch this gateway's epoch; 0 while it has none yet
     * @param acquiredAt when this gateway acquired the lease
     * @return the switchover, not streaming yet
     */
    Switchover at(NatsLease.Seen previous, long epoch, Instant acquiredAt) {
        if (previous == null) {
            // Nobody was seen holding it since this gateway started: the previous holder, if
            // any, renewed at least a ttl before now.
            Instant from = acquiredAt.minus(settings.ttl()).minus(settings.gapLead());
            return new Switchover("", 0, settings.gatewayId(), epoch, from, null, acquiredAt, null);
        }
        LeaseRecord r = previous.record();
        long through = r.throughNanos() > 0 ? Math.min(r.throughNanos(), r.renewedNanos()) : 0;
        long start = through > 0 ? through : r.renewedNanos();
        Instant gapFrom = UnixNanos.instant(start).minus(settings.gapLead());
        return new Switchover(
                r.holder(),
                previous.epoch(),
                settings.gatewayId(),
                epoch,
                gapFrom,
                UnixNanos.instant(r.renewedNanos()),
                acquiredAt,
                null);
    }

    /**
     * The published-through time a new holder passes on in its lease until its own switchover gaps
     * are published: the start of its gaps plus {@code gap-lead}, the previous holder's mark.
     *
     * @param s the switchover
     * @return Unix ns
     */
    long inheritedThrough(Switchover s) {
        return UnixNanos.of(s.gapFrom().plus(settings.gapLead()));
    }
}
