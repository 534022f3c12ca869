package io.tickmux.spi.sink;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.tickmux.spi.event.StatusEvent;
import java.time.Clock;
import java.util.function.Consumer;

/** What the host gives a sink. Thread-safe. Grows only by default methods. */
public interface SinkContext {

    /**
     * @return where the sink registers its {@code tickmux.sink.*} meters
     */
    MeterRegistry meterRegistry();

    /**
     * @return the host's clock, for the {@code at} of the gaps a sink reports
     */
    Clock clock();

    /**
     * The configuration path of the sink's settings, for messages: {@code tickmux.sink.<name>}.
     *
     * @return never {@code null}
     */
    String settingsPath();

    /**
     * Tells the host that the sink lost events of a ticker for good (its buffer overflowed, or
     * publishing failed past its retries). The sink also publishes the gap on its own bus. Called
     * on the sink's own thread; the host must not block in it.
     *
     * @param gap the lost span; its cause names the sink
     */
    void reportGap(StatusEvent.Gap gap);

    /**
     * @param registry meters
     * @param clock the clock
     * @param settingsPath e.g. {@code tickmux.sink.nats}
     * @param gaps receives the sink's gaps (must not block)
     * @return a context
     */
    static SinkContext of(
            MeterRegistry registry,
            Clock clock,
            String settingsPath,
            Consumer<StatusEvent.Gap> gaps) {
        requireNonNull(registry, "registry is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(settingsPath, "settingsPath is null");
        requireNonNull(gaps, "gaps is null");
        return new SinkContext() {
            @Override
            public MeterRegistry meterRegistry() {
                return registry;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public String settingsPath() {
                return settingsPath;
            }

            @Override
            public void reportGap(StatusEvent.Gap gap) {
                gaps.accept(gap);
            }
        };
    }
}
