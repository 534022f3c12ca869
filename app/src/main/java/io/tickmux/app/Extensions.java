package io.tickmux.app;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's {@link TickmuxExtension}s and their lifecycle: started in order, each handle
 * kept, stopped in reverse order; when one cannot start, the ones started are stopped again, so
 * nothing is left half-started and starting may be tried again. Thread-safe.
 */
final class Extensions {

    private static final Logger LOG = LoggerFactory.getLogger(Tickmux.class);

    private final List<TickmuxExtension> all;
    private final List<AutoCloseable> started = new ArrayList<>();
    private boolean running;

    /**
     * @param all the extensions, in start order
     */
    Extensions(List<TickmuxExtension> all) {
        this.all = List.copyOf(all);
    }

    /**
     * The extensions given, or those on the classpath.
     *
     * @param given the extensions to use, or {@code null} to find them with ServiceLoader
     * @return the extensions, in start order
     */
    static List<TickmuxExtension> discover(List<TickmuxExtension> given) {
        if (given != null) {
            return List.copyOf(given);
        }
        List<TickmuxExtension> found = new ArrayList<>();
        ServiceLoader.load(TickmuxExtension.class).forEach(found::add);
        return found;
    }

    /**
     * @return the extensions, in start order
     */
    List<TickmuxExtension> all() {
        return all;
    }

    /**
     * The application's meter registry, before the manager is built: the one given, and each
     * extension's (a Prometheus registry for a scrape endpoint, say); a simple in-memory registry
     * when that leaves none.
     *
     * @param given the application's own registry, or {@code null}
     * @param root the whole configuration
     * @return the registry the manager's meters go to
     */
    CompositeMeterRegistry meterRegistry(MeterRegistry given, Config root) {
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        if (given != null) {
            registry.add(given);
        }
        for (TickmuxExtension e : all) {
            e.registerMeters(registry, root);
        }
        if (registry.getRegistries().isEmpty()) {
            registry.add(new SimpleMeterRegistry());
        }
        return registry;
    }

    /**
     * Starts every extension in order, once; an extension disabled by its configuration (a {@code
     * null} handle) is skipped. Idempotent once it succeeded.
     *
     * @param app the application the extensions start in
     * @param root the whole configuration
     * @throws Exception the first failure, after the extensions started before it were stopped
     */
    synchronized void start(Tickmux app, Config root) throws Exception {
        if (running) {
            return;
        }
        for (TickmuxExtension e : all) {
            try {
                AutoCloseable c = e.start(app, root);
                if (c != null) {
                    started.add(c);
                    LOG.info("extension {} started", e.name());
                }
            } catch (Exception ex) {
                // Leave nothing half-started: stop the extensions started so far, so start() can
                // be called again (after fixing the cause) or close() stops cleanly.
                LOG.error("extension {} could not start; stopping the others", e.name(), ex);
                close();
                throw ex;
            }
        }
        running = true;
    }

    /**
     * What the started extensions returned, in start order.
     *
     * @return the handles; empty when none is started
     */
    synchronized List<AutoCloseable> handles() {
        return List.copyOf(started);
    }

    /**
     * Stops the started extensions in reverse order; a failure is logged and the rest still stop.
     * They may be started again. Idempotent.
     */
    synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing an extension failed; continuing", e);
            }
        }
        started.clear();
        running = false;
    }
}
