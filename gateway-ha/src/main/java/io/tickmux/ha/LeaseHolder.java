package io.tickmux.ha;

import io.tickmux.ha.internal.LeaseFence;

/**
 * What holds the lease: the application side, told by the {@link LeaseKeeper} when the lease is
 * acquired and lost, and asked what its sinks have published.
 */
interface LeaseHolder {
    /**
     * The lease is acquired; its fence is valid. Called on the lease thread: must not block.
     *
     * @param fence the lease's fence
     * @param switchover the switchover to this gateway, not streaming yet
     */
    void acquired(LeaseFence fence, Switchover switchover);

    /**
     * The lease is lost; its fence is revoked. Called on the lease, fence or role thread: abort the
     * sockets at once, block for nothing else.
     *
     * @param fence the lost lease's fence
     * @param why the reason, for the log and the health JSON
     */
    void lost(LeaseFence fence, String why);

    /**
     * @param nowNanos the wall clock now, Unix ns
     * @return the receipt time (Unix ns) up to which every active sink was acknowledged; {@code
     *     nowNanos} when none can tell
     */
    long publishedThrough(long nowNanos);

    /**
     * @param epoch the epoch held
     * @return when the last switchover gap of that epoch went to the sinks (Unix ns); 0 until then
     */
    long handedOverNanos(long epoch);
}
