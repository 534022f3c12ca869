package io.tickmux.health.http;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickmux.app.Tickmux;
import io.tickmux.app.TickmuxExtension;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.config.TickmuxConfigException;
import java.util.List;

/**
 * Starts the {@link HealthServer} in an application assembled by {@link io.tickmux.app.Tickmux}
 * when this module is on the classpath and {@code tickmux.http.enabled} is true; adds the
 * Prometheus registry {@code /metrics} scrapes.
 */
public final class HealthExtension implements TickmuxExtension {

    @Override
    public String name() {
        return "health-http";
    }

    /**
     * The HTTP settings are checked with every other configuration problem, before anything starts.
     */
    @Override
    public List<String> validate(Config root) {
        try {
            HttpSettings.from(root);
            return List.of();
        } catch (TickmuxConfigException e) {
            return e.problems();
        }
    }

    @Override
    public void registerMeters(CompositeMeterRegistry registry, Config root) {
        if (HttpSettings.from(root).enabled()) {
            registry.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
    }

    @Override
    public AutoCloseable start(MultiConnectionManager manager, Config root) {
        HttpSettings s = HttpSettings.from(root);
        return s.enabled() ? HealthServer.start(manager, s) : null;
    }

    /** With the application's gateway role, when it is part of an active/standby pair. */
    @Override
    public AutoCloseable start(Tickmux app, Config root) {
        HttpSettings s = HttpSettings.from(root);
        return s.enabled() ? HealthServer.start(app.manager(), s, app.role()) : null;
    }
}
