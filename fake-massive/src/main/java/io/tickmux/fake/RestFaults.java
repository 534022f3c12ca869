package io.tickmux.fake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The fault script of the fake REST API: the next requests answer with an error instead of data, in
 * the order scripted. A 429 carries {@code Retry-After} (whole seconds, rounded up) when a delay
 * was given. Thread-safe.
 *
 * <pre>{@code
 * server.rest().faults().rateLimitNext(3, Duration.ofSeconds(1)); // three 429s
 * server.rest().faults().failNext(2, 503);                         // then two 503s
 * }</pre>
 */
public final class RestFaults {

    /** One scripted answer. */
    record Fault(int status, Duration retryAfter) {}

    private final Deque<Fault> script = new ArrayDeque<>();
    private long injected;

    /**
     * The next {@code n} requests answer 429 (too many requests).
     *
     * @param n how many
     * @param retryAfter the {@code Retry-After} sent, or {@code null} for none
     * @return this
     */
    public synchronized RestFaults rateLimitNext(int n, Duration retryAfter) {
        for (int i = 0; i < n; i++) {
            script.add(new Fault(429, retryAfter));
        }
        return this;
    }

    /**
     * The next {@code n} requests answer with a server error.
     *
     * @param n how many
     * @param status 500 to 599
     * @return this
     */
    public synchronized RestFaults failNext(int n, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("a server error is 500 to 599, not " + status);
        }
        for (int i = 0; i < n; i++) {
            script.add(new Fault(status, null));
        }
        return this;
    }

    /** Forgets the faults not yet answered. */
    public synchronized void clear() {
        script.clear();
    }

    /**
     * @return faults scripted and not yet answered
     */
    public synchronized int pending() {
        return script.size();
    }

    /**
     * @return faults answered since start
     */
    public synchronized long injected() {
        return injected;
    }

    /** The fault the next request gets, or {@code null} for a normal answer. */
    synchronized Fault next() {
        Fault f = script.poll();
        if (f != null) {
            injected++;
        }
        return f;
    }
}
