package io.tickmux.transport.mock;

import io.tickmux.spi.event.MarketEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one mock connection was asked to do and did, for a test to assert on, in the spirit of
 * MockWebServer's recorded requests: connect attempts and sessions, every subscription message
 * received on an open socket ({@link SubscriptionChange}), every event delivered to the host, the
 * events muted or skipped, and every exception the host's listener threw. Get it from {@link
 * MockConnection#recorded()}. Only the connection records; thread-safe.
 */
public final class RecordedTraffic {

    private final String connectionId;
    private final Clock clock;
    private final LinkedBlockingQueue<SubscriptionChange> untaken = new LinkedBlockingQueue<>();
    private final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();
    private final AtomicLong mutedEvents = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    // guarded by this
    private int connectAttempts;
    private int sessions;
    private final List<SubscriptionChange> changes = new ArrayList<>();
    private final List<MarketEvent> delivered = new ArrayList<>();

    RecordedTraffic(String connectionId, Clock clock) {
        this.connectionId = connectionId;
        this.clock = clock;
    }

    /**
     * @return how many times the host called {@link MockConnection#connect()}
     */
    public synchronized int connectAttempts() {
        return connectAttempts;
    }

    /**
     * @return how many sessions were opened successfully
     */
    public synchronized int sessions() {
        return sessions;
    }

    /**
     * @return every subscription message received on an open socket, in order
     */
    public synchronized List<SubscriptionChange> changes() {
        return List.copyOf(changes);
    }

    /**
     * Waits for the next subscription message not taken yet, in the style of MockWebServer's {@code
     * takeRequest}.
     *
     * @param timeout how long to wait
     * @return the change
     * @throws AssertionError when none arrives in time
     */
    public SubscriptionChange takeChange(Duration timeout) {
        try {
            SubscriptionChange c = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError(
                        "Timed out after "
                                + timeout
                                + " waiting for a subscription change on "
                                + connectionId);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * @return every event delivered to the host, in order (the server's record of what it sent)
     */
    public synchronized List<MarketEvent> delivered() {
        return List.copyOf(delivered);
    }

    /**
     * @return events discarded while the server was muted
     */
    public long mutedEvents() {
        return mutedEvents.get();
    }

    /**
     * @return events skipped because the server held no subscription for their symbol
     */
    public long skippedUnsubscribed() {
        return skipped.get();
    }

    /**
     * @return every exception thrown on the wire thread by the host's listener, in order
     */
    public List<Throwable> listenerErrors() {
        return List.copyOf(listenerErrors);
    }

    synchronized void recordConnectAttempt() {
        connectAttempts++;
    }

    synchronized void recordSession() {
        sessions++;
    }

    /** Records a subscription message received in the current session, stamped by the clock. */
    synchronized void recordChange(boolean subscribe, List<String> symbols) {
        SubscriptionChange c =
                new SubscriptionChange(connectionId, sessions, subscribe, symbols, clock.instant());
        changes.add(c);
        untaken.add(c);
    }

    synchronized void recordDelivered(List<MarketEvent> events) {
        delivered.addAll(events);
    }

    void recordMuted(int events) {
        mutedEvents.addAndGet(events);
    }

    void recordSkipped() {
        skipped.incrementAndGet();
    }

    void recordListenerError(Throwable e) {
        listenerErrors.add(e);
    }
}
