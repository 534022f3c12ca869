package io.tickmux.spi.transport;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What the host gives a transport. Thread-safe. Grows only by default methods. */
public interface TransportContext {

    /**
     * The whole configuration; the transport reads its own subtree ({@code
     * tickmux.transport.<name>}).
     *
     * @return never {@code null}
     */
    Config config();

    /**
     * @return the host's clock, for times the transport stamps
     */
    Clock clock();

    /**
     * The host's scheduler, on named threads the host owns, for the transport's timers (pings,
     * deadlines, timeouts). A task must not block: other connections' and the host's timers share
     * the threads. The transport cancels its tasks on close and never shuts the scheduler down; a
     * task scheduled after the host stopped the scheduler does not run.
     *
     * @return never {@code null}
     */
    ScheduledExecutorService scheduler();

    /**
     * @return where the transport registers its meters (the host's registry)
     */
    MeterRegistry meterRegistry();

    /**
     * @param config the whole configuration
     * @param clock the clock
     * @param scheduler the host's scheduler; the caller shuts it down after closing the transport
     * @param registry meters
     * @return a context
     */
    static TransportContext of(
            Config config,
            Clock clock,
            ScheduledExecutorService scheduler,
            MeterRegistry registry) {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(registry, "registry is null");
        return new TransportContext() {
            @Override
            public Config config() {
                return config;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public MeterRegistry meterRegistry() {
                return registry;
            }
        };
    }
}
