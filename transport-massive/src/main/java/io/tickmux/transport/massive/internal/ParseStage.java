package io.tickmux.transport.massive.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The parsing stage of one socket ({@code parsing = stage}): the read thread hands each message to
 * a thread of the stage's own, which parses it and calls the host, so reading and parsing run on
 * two cores.
 *
 * <p>The hand-over is a preallocated ring of {@code capacity} slots with one producer (the read
 * thread) and one consumer (the stage thread): the producer fills the slot at {@code head} and
 * publishes it by moving {@code head}; the consumer handles the slot at {@code tail} and frees it
 * by moving {@code tail}. Messages are handled in the order they were read; nothing is allocated
 * per message (a slot keeps a reference to the message's bytes, which the WebSocket layer allocated
 * for it and does not reuse).
 *
 * <p><b>Back-pressure:</b> the ring holds at most {@code capacity} messages and at most {@code
 * maxBytes} bytes of them (at least one message, whatever its size). When it is full the read
 * thread waits (a short spin, then parking) until the stage frees a slot: it stops reading the
 * socket, the kernel's receive buffer fills and the server's sends slow down, exactly as when a
 * slow listener holds the read thread in direct mode. Nothing is dropped while the stage runs. An
 * idle stage parks and is woken by the next message; a producer that waits for room is woken once
 * half the ring is free, and then refills it in a burst.
 *
 * <p>The stage thread is named by its owner and is a daemon; {@link #stop(Runnable)} lets it finish
 * what was handed over, run the owner's last call and end. A handler that throws is reported to
 * {@code onFailure} and the stage goes on with the next message.
 */
final class ParseStage {

    /** What the stage does with each message, on its own thread, in order. */
    interface Handler {
        /**
         * @param utf8 a text message's bytes, checked UTF-8
         * @param offset where it starts
         * @param length its length
         */
        void bytes(byte[] utf8, int offset, int length);

        /**
         * @param text a text message that came in fragments, decoded
         */
        void text(String text);

        /**
         * @param size the size of a binary message (the feed sends none)
         */
        void binary(int size);
    }

    private static final byte BYTES = 0;
    private static final byte TEXT = 1;
    private static final byte BINARY = 2;
    private static final int SPINS = 200;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int capacity;
    private final int mask;
    private final long maxBytes;
    private final Handler handler;
    private final Consumer<RuntimeException> onFailure;
    private final Thread thread;

    // the ring, as parallel arrays; slot i is written by the producer only while free and read by
    // the consumer only while published
    private final byte[] kinds;
    private final byte[][] data;
    private final int[] offsets;
    private final int[] lengths;
    private final String[] texts;

    /** Next slot to fill; written by the producer only. */
    private final PaddedSequence head = new PaddedSequence();

    /** Next slot to handle; written by the consumer only. */
    private final PaddedSequence tail = new PaddedSequence();

    private final AtomicLong bytesHeld = new AtomicLong();
    private volatile boolean consumerParked;
    private volatile boolean producerParked;
    private volatile Thread producer;
    private volatile boolean stopping;
    private volatile boolean ended;
    private boolean started;
    private boolean stopRequested;
    private Runnable last;

    /**
     * @param name the stage thread's name
     * @param capacity the most messages in the ring; rounded up to a power of two, at least 2
     * @param maxBytes the most bytes of messages in the ring (one message is always accepted)
     * @param handler handles each message on the stage thread
     * @param onFailure told when the handler throws; the stage goes on
     */
    ParseStage(
            String name,
            int capacity,
            long maxBytes,
            Handler handler,
            Consumer<RuntimeException> onFailure) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.capacity = size;
        this.mask = size - 1;
        this.maxBytes = maxBytes;
        this.handler = handler;
        this.onFailure = onFailure;
        this.kinds = new byte[size];
        this.data = new byte[size][];
        this.offsets = new int[size];
        this.lengths = new int[size];
        this.texts = new String[size];
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts the stage thread, unless the stage was stopped first. */
    void start() {
        synchronized (this) {
            if (stopRequested) {
                return;
            }
            started = true;
        }
        thread.start();
    }

    /**
     * @return the ring's size in messages
     */
    int capacity() {
        return capacity;
    }

    /**
     * @return the stage thread
     */
    Thread thread() {
        return thread;
    }

    /**
     * @return messages handed over and not yet handled
     */
    int depth() {
        return (int) (head.get() - tail.get());
    }

    /**
     * Hands over a text message's bytes; waits while the ring is full. Producer thread only.
     *
     * @return false when the stage has stopped (the message is not handled)
     */
    boolean publish(byte[] utf8, int offset, int length) {
        long h = claim(length);
        if (h < 0) {
            return false;
        }
        int i = (int) h & mask;
        kinds[i] = BYTES;
        data[i] = utf8;
        offsets[i] = offset;
        lengths[i] = length;
        commit(h);
        return true;
    }

    /**
     * Hands over a decoded text message; waits while the ring is full. Producer thread only.
     *
     * @return false when the stage has stopped
     */
    boolean publishText(String text) {
        long h = claim(text.length());
        if (h < 0) {
            return false;
        }
        int i = (int) h & mask;
        kinds[i] = TEXT;
        texts[i] = text;
        lengths[i] = text.length();
        commit(h);
        return true;
    }

    /**
     * Hands over the size of a binary message, so its report keeps its place in the order.
     *
     * @return false when the stage has stopped
     */
    boolean publishBinary(int size) {
        long h = claim(0);
        if (h < 0) {
            return false;
        }
        int i = (int) h & mask;
        kinds[i] = BINARY;
        lengths[i] = size;
        commit(h);
        return true;
    }

    /** Waits for a free slot (and room for {@code bytes}); returns its sequence or -1 if ended. */
    private long claim(int bytes) {
        long h = head.get();
        int spins = 0;
        while (true) {
            if (stopping || ended) {
                return -1;
            }
            long used = h - tail.get();
            if (used < capacity && (used == 0 || bytesHeld.get() + bytes <= maxBytes)) {
                bytesHeld.addAndGet(bytes);
                return h;
            }
            if (spins++ < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            producer = Thread.currentThread();
            producerParked = true;
            used = h - tail.get();
            if (used >= capacity || (used > 0 && bytesHeld.get() + bytes > maxBytes)) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            producerParked = false;
        }
    }

    private void commit(long h) {
        head.set(h + 1);
        if (consumerParked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        try {
            int spins = 0;
            while (true) {
                long t = tail.get();
                if (t == head.get()) {
                    if (stopping) {
                        return;
                    }
                    if (spins++ < SPINS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    consumerParked = true;
                    if (t == head.get() && !stopping) {
                        LockSupport.parkNanos(this, PARK_NANOS);
                    }
                    consumerParked = false;
                    continue;
                }
                spins = 0;
                int i = (int) t & mask;
                int length = lengths[i];
                try {
                    switch (kinds[i]) {
                        case BYTES -> handler.bytes(data[i], offsets[i], length);
                        case TEXT -> handler.text(texts[i]);
                        default -> handler.binary(length);
                    }
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                } finally {
                    data[i] = null; // the message's bytes may go
                    texts[i] = null;
                    bytesHeld.addAndGet(kinds[i] == BINARY ? 0 : -length);
                    tail.set(t + 1);
                    if (producerParked && hasRoomForBurst(t + 1)) {
                        LockSupport.unpark(producer);
                    }
                }
            }
        } finally {
            ended = true;
            Thread p = producer;
            if (p != null) {
                LockSupport.unpark(p);
            }
            runLast();
        }
    }

    /**
     * Whether a waiting producer should be woken now: once half the ring is free (by count or by
     * bytes), so that it refills the ring in a burst instead of being woken, and parking again, for
     * every slot the consumer frees. A wake-up costs both threads a system call; one per frame was
     * most of what the stage cost per event over direct parsing.
     */
    private boolean hasRoomForBurst(long nextTail) {
        long used = head.get() - nextTail;
        return used <= capacity >> 1 || bytesHeld.get() <= maxBytes >> 1;
    }

    private void runLast() {
        Runnable r;
        synchronized (this) {
            r = last;
            last = null;
        }
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        }
    }

    /**
     * Stops the stage without waiting: no new messages are taken; those handed over are handled,
     * then {@code last} runs on the stage thread and the thread ends. If the stage never started,
     * {@code last} runs at once on the caller's thread. Any thread may call it; only the first call
     * counts.
     *
     * @param last what comes after the last message (the report that the socket ended)
     */
    void stop(Runnable last) {
        boolean now;
        synchronized (this) {
            if (stopRequested) {
                return;
            }
            stopRequested = true;
            this.last = last;
            now = !started;
        }
        stopping = true;
        if (now) {
            ended = true;
            runLast();
            return;
        }
        LockSupport.unpark(thread);
        Thread p = producer;
        if (p != null) {
            LockSupport.unpark(p);
        }
    }

    /**
     * @return whether the stage thread has ended (or never started and was stopped)
     */
    boolean ended() {
        return ended;
    }

    /** A sequence on a cache line of its own, so producer and consumer do not share one. */
    @SuppressWarnings("unused")
    private static final class PaddedSequence {
        private long p1, p2, p3, p4, p5, p6, p7;
        private volatile long value;
        private long q1, q2, q3, q4, q5, q6, q7;

        long get() {
            return value;
        }

        void set(long v) {
            value = v;
        }
    }
}
