package io.tickmux.tck;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records every {@link TransportListener} call into a queue, so a test can wait for the next one
 * instead of sleeping; in the style of OkHttp's {@code WebSocketRecorder}. Thread-safe.
 */
public final class RecordingTransportListener implements TransportListener {

    /** A recorded call. */
    public sealed interface Call {}

    /** {@link TransportListener#onConnected()}. */
    public record Connected() implements Call {}

    /**
     * {@link TransportListener#onDisconnected}.
     *
     * @param reason reason
     * @param closeCode close code
     * @param detail detail
     */
    public record Disconnected(DisconnectReason reason, int closeCode, String detail)
            implements Call {}

    /**
     * {@link TransportListener#onEvents}, one per event.
     *
     * @param event the event
     */
    public record Event(MarketEvent event) implements Call {}

    /**
     * {@link TransportListener#onAck}.
     *
     * @param symbol symbol
     * @param subscribed subscribed
     */
    public record Ack(String symbol, boolean subscribed) implements Call {}

    /**
     * {@link TransportListener#onRejected}.
     *
     * @param symbol symbol
     * @param reason reason
     */
    public record Rejected(String symbol, String reason) implements Call {}

    /**
     * {@link TransportListener#onServerStatus}.
     *
     * @param status status
     * @param message message
     */
    public record ServerStatus(String status, String message) implements Call {}

    /**
     * {@link TransportListener#onError}.
     *
     * @param kind kind
     * @param detail detail
     */
    public record Error(String kind, String detail) implements Call {}

    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final Duration timeout;

    /**
     * @param timeout how long {@link #next} waits
     */
    public RecordingTransportListener(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void onConnected() {
        calls.add(new Connected());
    }

    @Override
    public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
        calls.add(new Disconnected(reason, closeCode, detail));
    }

    @Override
    public void onEvents(List<MarketEvent> events) {
        for (MarketEvent e : events) {
            calls.add(new Event(e));
        }
    }

    @Override
    public void onAck(String symbol, boolean subscribed) {
        calls.add(new Ack(symbol, subscribed));
    }

    @Override
    public void onRejected(String symbol, String reason) {
        calls.add(new Rejected(symbol, reason));
    }

    @Override
    public void onServerStatus(String status, String message) {
        calls.add(new ServerStatus(status, message));
    }

    @Override
    public void onError(String kind, String detail) {
        calls.add(new Error(kind, detail));
    }

    /**
     * The next call, whatever it is.
     *
     * @return the call
     * @throws AssertionError when none arrives in time
     */
    public Call next() {
        try {
            Call c = calls.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError(
                        "Timed out after " + timeout + " waiting for a listener call");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Skips calls until one of the given type arrives.
     *
     * @param type the call type
     * @param <T> the type
     * @return the call
     * @throws AssertionError when none arrives in time
     */
    public <T extends Call> T next(Class<T> type) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Call> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            Call c;
            try {
                c = left <= 0 ? null : calls.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (c == null) {
                throw new AssertionError(
                        "Timed out after "
                                + timeout
                                + " waiting for "
                                + type.getSimpleName()
                                + "; skipped meanwhile: "
                                + skipped);
            }
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            skipped.add(c);
        }
    }

    /**
     * Calls recorded and not yet taken.
     *
     * @return a snapshot
     */
    public List<Call> pending() {
        return List.copyOf(calls);
    }
}
