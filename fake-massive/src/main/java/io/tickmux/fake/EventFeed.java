package io.tickmux.fake;

import io.tickmux.spi.event.MarketEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What events go out and when: published ones and generated rounds, one at a time under one lock,
 * each event to every live session holding its topic (exactly or by wildcard), recorded in the
 * {@link FakeMarket} while the REST API is on; the generator runs rounds at a fixed rate on the
 * server's timer thread. Thread-safe.
 */
final class EventFeed {

    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    private final SessionRegistry sessions;
    private final EventSynthesizer synthesizer;
    private final FrameSender sender;
    private final FakeMarket market;
    private final boolean recordInMarket;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Object publishLock = new Object();
    private volatile ScheduledFuture<?> generator;

    /**
     * @param sessions the sessions, to find the live ones
     * @param synthesizer makes each round's events
     * @param sender sends each session its events
     * @param market the record of trades and quotes
     * @param recordInMarket whether to record what goes out (the REST API is on)
     * @param clock the generated events' time
     * @param timers the server's timer thread, which runs the generator
     */
    EventFeed(
            SessionRegistry sessions,
            EventSynthesizer synthesizer,
            FrameSender sender,
            FakeMarket market,
            boolean recordInMarket,
            Clock clock,
            ScheduledExecutorService timers) {
        this.sessions = sessions;
        this.synthesizer = synthesizer;
        this.sender = sender;
        this.market = market;
        this.recordInMarket = recordInMarket;
        this.clock = clock;
        this.timers = timers;
    }

    /**
     * Sends events to every live session that holds their topic.
     *
     * @param events the events, in order
     */
    void publish(List<? extends MarketEvent> events) {
        synchronized (publishLock) {
            if (recordInMarket) {
                market.record(events);
            }
            fanOut(events);
        }
    }

    /**
     * Generates one round and sends it.
     *
     * @return events generated
     */
    int generateOnce() {
        synchronized (publishLock) {
            List<String> held = new ArrayList<>();
            for (FakeSession s : sessions.live()) {
                held.addAll(s.topics());
            }
            List<MarketEvent> round = synthesizer.round(held, clock.millis());
            if (recordInMarket) {
                market.record(round);
            }
            fanOut(round);
            return round.size();
        }
    }

    /**
     * Starts generating rounds at a fixed rate, stopping the generator running before.
     *
     * @param roundsPerSecond rounds per second
     */
    void start(double roundsPerSecond) {
        stop();
        long period = (long) (1_000_000_000L / roundsPerSecond);
        generator =
                timers.scheduleAtFixedRate(
                        () -> {
                            try {
                                generateOnce();
                            } catch (RuntimeException e) {
                                LOG.warn("generator round failed", e);
                            }
                        },
                        period,
                        period,
                        TimeUnit.NANOSECONDS);
    }

    /** Stops the generator; a round in progress finishes first. */
    void stop() {
        ScheduledFuture<?> g = generator;
        if (g != null) {
            g.cancel(false);
            synchronized (publishLock) {
                generator = null;
            }
        }
    }

    private void fanOut(List<? extends MarketEvent> events) {
        for (FakeSession s : sessions.live()) {
            List<MarketEvent> mine = new ArrayList<>();
            for (MarketEvent e : events) {
                if (s.wants(e.kind().channel(), e.symbol())) {
                    mine.add(e);
                }
            }
            sender.events(s, mine);
        }
    }
}
