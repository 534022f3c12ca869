package io.tickmux.core.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import io.tickmux.spi.sink.EventSink;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-event path: from a transport's read thread to the dispatcher, with no lock. Per event: a
 * concurrent-map read, the repeat or dedup filter, a counter; per call: the connection's counters,
 * and once per millisecond its last-message time and a lag sample.
 *
 * <ul>
 *   <li>What the listener then accepted is counted by the {@link ListenerInvoker} ({@code
 *       tickmux.events.delivered}, the health's {@code delivered_ticks}).
 *   <li>An event for a ticker no longer wanted (unsubscribed, its unsubscribe still in flight) is
 *       dropped and counted ({@code tickmux.events.unwanted}), unless {@code *} is wanted.
 *   <li>While a ticker is on two sockets (a move, a critical ticker) the dedup filter decides:
 *       first copy wins.
 *   <li>On one socket, an exact repeat of a recent sequence number (a duplicated batch) is dropped
 *       and counted ({@code tickmux.dedup.dropped}, the health's {@code duplicates_dropped}) and
 *       logged at a limited rate; a sequence below the highest seen but new is a late print,
 *       delivered and counted ({@code tickmux.events.out.of.order}).
 * </ul>
 */
final class Ingress {

    private final Map<String, TickerEntry> tickers;
    private final Dispatcher dispatcher;
    private final Clock clock;
    final LongAdder total = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder unwanted = new LongAdder();

    private final EventSink[] sinks;
    private final RateLimitedLog sinkErrorLog;
    private final RateLimitedLog repeatLog;
    final LongAdder sinkErrors = new LongAdder();

    /** Whether {@code *} (every ticker) is wanted; set under the manager's lock. */
    volatile boolean wildcard;

    Ingress(Map<String, TickerEntry> tickers, Dispatcher dispatcher, Clock clock) {
        this(tickers, dispatcher, clock, List.of(), null, null);
    }

    /**
     * @param sinkErrorLog where a throwing sink is logged
     * @param repeatLog where repeats dropped by the repeat filter are logged (null: not logged)
     */
    Ingress(
            Map<String, TickerEntry> tickers,
            Dispatcher dispatcher,
            Clock clock,
            List<EventSink> sinks,
            RateLimitedLog sinkErrorLog,
            RateLimitedLog repeatLog) {
        this.tickers = tickers;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.sinks = sinks.toArray(new EventSink[0]);
        this.sinkErrorLog = sinkErrorLog;
        this.repeatLog = repeatLog;
    }

    /** A transport's call: the events of part of a frame, from one connection. */
    void onEvents(ManagedConnection c, List<MarketEvent> events) {
        int n = events.size();
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            MarketEvent e = events.get(i);
            TickerEntry t = tickers.get(e.symbol());
            if (t == null) {
                if (wildcard) {
                    if (sinks.length > 0) {
                        c.accepted.add(e);
                    }
                    dispatcher.dispatch(e); // "*" is wanted: every ticker is
                } else {
                    unwanted.increment();
                }
                continue;
            }
            Dedup d = t.dedup;
            if (d != null) {
                if (!d.firstCopy(e)) {
                    duplicates.increment();
                    continue;
                }
            } else if (repeated(t, e)) {
                duplicates.increment();
                if (repeatLog != null) {
                    repeatLog.warn(
                            "dropped a repeated {} for {} from {}: its sequence number was"
                                    + " delivered from this socket already (the feed sent it"
                                    + " twice); counted in tickmux.dedup.dropped and the health's"
                                    + " duplicates_dropped",
                            null,
                            e.kind(),
                            e.symbol(),
                            c.id);
                }
                continue;
            }
            t.messages.increment();
            if (t.lastEventMillis != now) {
                t.lastEventMillis = now; // a volatile write once per millisecond, not per event
            }
            if (sinks.length > 0) {
                c.accepted.add(e);
            }
            dispatcher.dispatch(e);
        }
        if (sinks.length > 0) {
            toSinks(c);
        }
        c.messages.add(n);
        total.add(n);
        // The last-message time and one lag sample once per millisecond, not per call: a transport
        // calls every few events, and these volatile writes would cost more than the rest.
        if (n > 0 && now != c.lastMessageMillis) {
            c.lastMessageMillis = now;
            long eventTime = events.get(n - 1).timestampMillis();
            c.lastEventMillis = eventTime;
            if (c.lag != null) {
                c.lag.record(Math.max(0, now - eventTime));
            }
        }
    }

    /** Hands the chunk's accepted events to every sink; the connection's scratch list is reused. */
    private void toSinks(ManagedConnection c) {
        List<MarketEvent> accepted = c.accepted;
        if (accepted.isEmpty()) {
            return;
        }
        for (EventSink s : sinks) {
            try {
                s.onEvents(c.id, accepted);
            } catch (RuntimeException x) {
                sinkErrors.increment();
                sinkErrorLog.warn(
                        "sink {} threw on {} events from {}; the events still reach the listener",
                        x,
                        s.getClass().getName(),
                        accepted.size(),
                        c.id);
            }
        }
        accepted.clear();
    }

    private boolean repeated(TickerEntry t, MarketEvent e) {
        int verdict;
        if (e instanceof Trade tr && tr.sequence() >= 0) {
            verdict = t.trades.observe(tr.sequence());
        } else if (e instanceof Quote q && q.sequence() >= 0) {
            verdict = t.quotes.observe(q.sequence());
        } else {
            return false;
        }
        if (verdict == SequenceWindow.OUT_OF_ORDER) {
            outOfOrder.increment();
        }
        return verdict == SequenceWindow.REPEAT;
    }
}
