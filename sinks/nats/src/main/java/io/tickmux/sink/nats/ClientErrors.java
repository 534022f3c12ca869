package io.tickmux.sink.nats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own errors, counted ({@code tickmux.sink.nats.client.errors}) and logged (they are
 * otherwise silent): at most one line per 10 s, saying how many were folded into it, so a NATS
 * outage (a refused connect every {@code reconnect-wait}) does not flood the log. Called on the
 * client's threads.
 */
final class ClientErrors implements ErrorListener {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);
    private static final long EVERY_NANOS = 10_000_000_000L;

    private final Counter errors;
    private final LogThrottle throttle;

    /**
     * @param registry where the counter is registered
     * @param nanoTime the monotonic clock ({@link System#nanoTime()})
     */
    ClientErrors(MeterRegistry registry, LongSupplier nanoTime) {
        this.errors =
                Counter.builder("tickmux.sink.nats.client.errors")
                        .description("errors and exceptions the NATS client reported")
                        .register(registry);
        this.throttle = new LogThrottle(EVERY_NANOS, nanoTime);
    }

    private synchronized void report(String what) {
        errors.increment();
        long folded = throttle.admit();
        if (folded < 0) {
            LOG.debug("sink nats: {}", what);
            return;
        }
        LOG.warn(
                "sink nats: {}{}",
                what,
                folded == 0 ? "" : " (" + folded + " more client errors in the last 10 s)");
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        report("the NATS server reported: " + error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        report("the NATS client handled an exception: " + exp);
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        report(
                "acknowledgements arrive faster than the client handles them (slow consumer);"
                        + " lower max-in-flight");
    }
}
