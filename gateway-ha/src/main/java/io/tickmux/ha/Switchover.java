package io.tickmux.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One switchover: this gateway took the lease over from another holder (or from itself, after it
 * lost the lease and got it back).
 *
 * @param from the previous holder's id; empty when none was seen
 * @param fromEpoch the previous holder's epoch; 0 when none was seen
 * @param to this gateway's id
 * @param toEpoch the new epoch
 * @param gapFrom where the switchover gaps start: the previous holder's published-through time (at
 *     its last renewal) minus {@code gap-lead}
 * @param previousRenewal the previous holder's last renewal; {@code null} when none was seen
 * @param acquired when this gateway acquired the lease
 * @param streaming when every ticker of this gateway was acknowledged again; {@code null} until
 *     then
 */
public record Switchover(
        String from,
        long fromEpoch,
        String to,
        long toEpoch,
        Instant gapFrom,
        Instant previousRenewal,
        Instant acquired,
        Instant streaming) {

    /**
     * How long the feed was without a holder that streams: from the previous holder's last renewal
     * (or, when none was seen, the acquisition) to every ticker acknowledged again.
     *
     * @return the duration; {@code null} until streaming
     */
    public Duration took() {
        if (streaming == null) {
            return null;
        }
        return Duration.between(previousRenewal != null ? previousRenewal : acquired, streaming);
    }

    /**
     * @return the health JSON's {@code last_switchover}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", acquired.toString());
        m.put("from", from.isEmpty() ? null : from);
        m.put("from_epoch", fromEpoch);
        m.put("to", to);
        m.put("to_epoch", toEpoch);
        m.put("previous_renewal", previousRenewal == null ? null : previousRenewal.toString());
        m.put("gap_from", gapFrom.toString());
        m.put("streaming", streaming == null ? null : streaming.toString());
        Duration t = took();
        m.put("took_ms", t == null ? null : t.toMillis());
        return m;
    }
}
