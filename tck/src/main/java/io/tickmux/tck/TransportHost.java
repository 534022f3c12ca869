package io.tickmux.tck;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Hosts a transport outside a manager, as a test needs to drive its connections directly: it owns
 * the scheduler the transport times on (one thread, {@code tck-host-scheduler}, started by the
 * first timer), makes the transport from a configuration, and closes the transport and then the
 * scheduler. Thread-safe.
 *
 * <pre>{@code
 * try (TransportHost host = TransportHost.start(new MyTransportFactory(), config)) {
 *     TransportConnection c = host.create(ConnectionSpec.of("c1"), listener);
 *     c.connect();
 * }
 * }</pre>
 */
public final class TransportHost implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Transport transport;

    private TransportHost(TransportFactory factory, Config config) {
        requireNonNull(factory, "factory is null");
        requireNonNull(config, "config is null");
        this.scheduler = new ScheduledThreadPoolExecutor(1, Threads.named("tck-host-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            this.transport =
                    factory.create(
                            TransportContext.of(config, Clock.systemUTC(), scheduler, registry));
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * Makes the factory's transport with a context of this configuration, the system clock, a new
     * scheduler and a new meter registry.
     *
     * @param factory the transport's factory
     * @param config the whole configuration
     * @return the host
     * @throws io.tickmux.spi.config.TickmuxConfigException when the transport's settings are
     *     invalid (nothing is left running)
     */
    public static TransportHost start(TransportFactory factory, Config config) {
        return new TransportHost(factory, config);
    }

    /**
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Creates a connection through the transport.
     *
     * @param spec id, name and per-connection settings
     * @param listener where the connection reports
     * @return a new, unconnected connection
     */
    public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
        return transport.create(spec, listener);
    }

    /**
     * @return the scheduler the transport times on
     */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * @return the registry the transport's meters go to
     */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Closes the transport, then stops the scheduler. Idempotent. */
    @Override
    public void close() {
        try {
            transport.close();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
