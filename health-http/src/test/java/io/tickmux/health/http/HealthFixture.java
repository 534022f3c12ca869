package io.tickmux.health.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.mock.MockTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A manager with three connections on the mock transport, fed by a steady stream of trades. */
final class HealthFixture implements AutoCloseable {

    /** Generous: it costs nothing when a test passes and spares a loaded machine a false alarm. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final MockTransport mock = new MockTransport();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final MultiConnectionManager manager;
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();

    /** The listener the manager gave each connection, by id. */
    private final Map<String, TransportListener> listeners = new ConcurrentHashMap<>();

    HealthFixture() throws InterruptedException {
        this(new io.tickmux.core.routing.ManualRoutingStrategy(Map.of()));
    }

    HealthFixture(io.tickmux.routing.RoutingStrategy router) throws InterruptedException {
        manager =
                MultiConnectionManager.builder()
                        .routing(router)
                        .settings(
                                CoreSettings.parse(
                                        "tickmux.core { reconnect { initial-delay = 1h, max-delay = 1h },"
                                                + " rate.sample-interval = 100ms, rate.half-life = 200ms }"))
                        .transport(recordingListeners())
                        .meterRegistry(registry)
                        .connection(ConnectionDefinition.of("connection_1").withName("primary"))
                        .connection(ConnectionDefinition.of("connection_2").withName("secondary"))
                        .connection(ConnectionDefinition.of("connection_3").withName("tertiary"))
                        .build();
        List<String> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add("T" + i);
        }
        boolean subscribed =
                manager.connectAll(
                        Map.of(
                                "connection_1",
                                six,
                                "connection_2",
                                List.of("JPM"),
                                "connection_3",
                                List.of("UNH")),
                        TIMEOUT);
        if (!subscribed) {
            throw new AssertionError(
                    "the fixture's connections did not all subscribe within " + TIMEOUT);
        }
    }

    /** The mock transport, remembering the listener the manager gives each connection. */
    private TransportFactory recordingListeners() {
        return new TransportFactory() {
            @Override
            public String name() {
                return mock.name();
            }

            @Override
            public Transport create(TransportContext context) {
                Transport inner = mock.create(context);
                return new Transport() {
                    @Override
                    public TransportConnection create(
                            ConnectionSpec spec, TransportListener listener) {
                        listeners.put(spec.id(), listener);
                        return inner.create(spec, listener);
                    }

                    @Override
                    public void close() {
                        inner.close();
                    }
                };
            }
        };
    }

    /**
     * Hands a frame to the manager as connection {@code id}'s socket would, past the mock server's
     * own filter (it sends only tickers it holds): for events a real server still sends for a
     * ticker the manager let go. Call it only while that connection's mock thread is idle (after
     * {@code mock.connection(id).flush}), since a socket makes one listener call at a time.
     */
    void deliverUnfiltered(String id, List<MarketEvent> events) {
        listeners.get(id).onEvents(events);
    }

    /** Streams a trade per ticker every 50 ms on every open connection. */
    HealthFixture streaming() {
        AtomicLong seq = new AtomicLong();
        feed.scheduleAtFixedRate(
                () -> {
                    long q = seq.incrementAndGet();
                    for (String id : List.of("connection_1", "connection_2", "connection_3")) {
                        var c = mock.connection(id);
                        List<String> tickers = manager.tickersOf(id).orElse(List.of());
                        if (c.isOpen() && !tickers.isEmpty()) {
                            List<MarketEvent> frame = new ArrayList<>();
                            tickers.forEach(
                                    t ->
                                            frame.add(
                                                    MockEvents.trade(
                                                            t, q, System.currentTimeMillis())));
                            try {
                                c.emit(frame);
                            } catch (IllegalStateException closed) {
                                // dropped meanwhile
                            }
                        }
                    }
                },
                0,
                50,
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        feed.shutdownNow();
        manager.close();
    }
}
