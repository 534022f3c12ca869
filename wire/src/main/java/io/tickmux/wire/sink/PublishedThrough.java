package io.tickmux.wire.sink;

/**
 * The moment before which everything a sink was handed is acknowledged, from two marks kept in the
 * publishing thread's order: the last moment it found nothing buffered, queued or in flight (idle);
 * and the receipt time of the last acknowledged event, which counts only while no status event was
 * handed over since the idle moment (a status event is published outside the events' order). Times
 * are Unix ns. Written by the publishing thread (and a status event's caller), read by any thread.
 */
final class PublishedThrough {

    private volatile long acknowledgedThrough;
    private volatile long idleAt;
    private volatile long statusOfferedAt;

    /**
     * The sink starts with nothing held.
     *
     * @param nowNanos now
     */
    void start(long nowNanos) {
        acknowledgedThrough = nowNanos;
        idleAt = nowNanos;
    }

    /**
     * An event was acknowledged.
     *
     * @param receivedNanos its receipt by the gateway
     */
    void acknowledged(long receivedNanos) {
        acknowledgedThrough = receivedNanos;
    }

    /**
     * A status event was handed over; call it after the event is queued.
     *
     * @param nowNanos now
     */
    void statusHandedOver(long nowNanos) {
        statusOfferedAt = nowNanos;
    }

    /**
     * Nothing was buffered, queued or in flight at a moment; take the moment before looking.
     *
     * @param atNanos that moment
     */
    void idle(long atNanos) {
        idleAt = atNanos;
    }

    /**
     * @return every event received, and every status event handed over, before this time was
     *     acknowledged
     */
    long nanos() {
        long idle = idleAt;
        return statusOfferedAt > idle ? idle : Math.max(acknowledgedThrough, idle);
    }
}
