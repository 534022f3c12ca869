package io.tickmux.ha;

/**
 * What a holder writes as its published-through time at each renewal: its sinks' mark, but never
 * later than what it inherited until its own switchover gaps are handed over and published (the
 * sinks' mark passed the hand-over). Otherwise a holder that dies (or loses the lease) before its
 * switchover gaps reach the bus would pass on a mark that skips the previous switchover. Times in
 * Unix ns.
 */
final class ThroughMark {

    private long inherited;
    private boolean settled;

    /**
     * At an acquisition: the mark passed on until this holder's own gaps are published.
     *
     * @param inheritedNanos the previous holder's mark, as the switchover's start saw it
     */
    synchronized void inherit(long inheritedNanos) {
        inherited = inheritedNanos;
        settled = false;
    }

    /**
     * @param sinksMark the receipt time up to which every sink was acknowledged, now
     * @param handedOverNanos when the last of this lease's switchover gaps went to the sinks; 0
     *     until then
     * @return the mark to write: the sinks' mark once it passed the hand-over (and from then on),
     *     the earlier of it and the inherited mark before
     */
    synchronized long through(long sinksMark, long handedOverNanos) {
        if (!settled) {
            if (handedOverNanos > 0 && sinksMark > handedOverNanos) {
                settled = true;
            } else {
                return Math.min(sinksMark, inherited);
            }
        }
        return sinksMark;
    }
}
