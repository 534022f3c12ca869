package io.tickmux.wire.sink;

import io.tickmux.spi.event.StatusEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongSupplier;

/**
 * The status events a sink was handed and has not yet published, bounded: a status event the full
 * queue refuses is counted as dropped. Each accepted one moves the {@link PublishedThrough} mark
 * that keeps published-through from passing it. Thread-safe: any thread offers, the publishing
 * thread polls.
 */
final class StatusQueue {

    /** Status events waiting to be published; they are rare, the bound is generous. */
    static final int CAPACITY = 10_000;

    private final ArrayBlockingQueue<StatusEvent> queue;
    private final PublishedThrough marks;
    private final SinkMeters meters;
    private final LongSupplier nowNanos;

    /**
     * @param capacity the bound
     * @param marks the sink's published-through marks
     * @param meters counts the drops
     * @param nowNanos the time, Unix ns
     */
    StatusQueue(int capacity, PublishedThrough marks, SinkMeters meters, LongSupplier nowNanos) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.marks = marks;
        this.meters = meters;
        this.nowNanos = nowNanos;
    }

    /**
     * Queues a status event, or counts it as dropped when the queue is full.
     *
     * @param event the event
     * @return whether it was queued
     */
    boolean offer(StatusEvent event) {
        if (!queue.offer(event)) {
            meters.statusDropped();
            return false;
        }
        marks.statusHandedOver(nowNanos.getAsLong()); // after the offer: see PublishedThrough
        return true;
    }

    /**
     * @return the oldest event, or null when there is none
     */
    StatusEvent poll() {
        return queue.poll();
    }

    /**
     * @return whether nothing waits
     */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Forgets every waiting event.
     *
     * @return how many there were
     */
    int discard() {
        int n = 0;
        while (queue.poll() != null) {
            n++;
        }
        return n;
    }
}
