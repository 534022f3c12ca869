package io.tickmux.app;

import com.typesafe.config.Config;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tickmux.core.MultiConnectionManager;
import java.util.List;

/**
 * Something an application gets by adding a module to the classpath (the health HTTP server, for
 * one). Discovered with {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.app.TickmuxExtension}; {@link Tickmux} starts every extension after
 * the manager and closes them before it, in reverse order.
 */
public interface TickmuxExtension {

    /**
     * @return a short name for logs, e.g. {@code health-http}
     */
    String name();

    /**
     * Checks the extension's settings before anything starts, so they are listed with every other
     * configuration problem. The default finds none.
     *
     * @param root the whole configuration
     * @return each problem with its full path and the fix; empty when none
     */
    default List<String> validate(Config root) {
        return List.of();
    }

    /**
     * Called before the manager is built: add a meter registry the extension needs (a Prometheus
     * registry for a scrape endpoint). The default adds nothing.
     *
     * @param registry the application's registry
     * @param root the whole configuration
     */
    default void registerMeters(CompositeMeterRegistry registry, Config root) {}

    /**
     * Starts the extension.
     *
     * @param manager the running manager
     * @param root the whole configuration
     * @return what to close at shutdown; {@code null} when the extension is disabled by its
     *     configuration
     * @throws Exception when it cannot start; the application does not start either
     */
    AutoCloseable start(MultiConnectionManager manager, Config root) throws Exception;

    /**
     * Starts the extension in an assembled application, where it may also see the application's
     * {@link Tickmux#role() role}. The default calls {@link #start(MultiConnectionManager, Config)}
     * with the application's manager.
     *
     * @param app the application
     * @param root the whole configuration
     * @return what to close at shutdown; {@code null} when disabled
     * @throws Exception when it cannot start
     */
    default AutoCloseable start(Tickmux app, Config root) throws Exception {
        return start(app.manager(), root);
    }
}
