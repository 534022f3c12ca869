package io.tickmux.app;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import com.typesafe.config.Config;
import io.tickmux.core.Catalogue;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import java.util.List;

/**
 * Starts a tickmux application with Guice: production stage, explicit bindings only, no circular
 * proxies. Ordered start (manager, then extensions) and stop (the reverse), with a shutdown hook.
 *
 * <pre>{@code
 * Tickmux app = TickmuxBootstrap.start(ConfigFactory.load(), event -> handle(event), status -> log(status));
 * }</pre>
 */
public final class TickmuxBootstrap {

    private TickmuxBootstrap() {}

    /**
     * Makes the injector, assembles and starts the application, and registers a shutdown hook.
     *
     * @param root the whole configuration
     * @param tickListener receives market events
     * @param statusListener receives status events
     * @param extra further modules of the application
     * @return the running application; close it to stop
     * @throws Exception when configuration is invalid or an extension cannot start
     */
    public static Tickmux start(
            Config root, TickListener tickListener, StatusListener statusListener, Module... extra)
            throws Exception {
        Injector injector = injector(root, Catalogue.load(), tickListener, statusListener, extra);
        Tickmux app = injector.getInstance(Tickmux.class);
        app.start();
        return app.closeOnShutdown();
    }

    /**
     * The injector, without starting anything: for applications that add their own bindings.
     *
     * @param root the whole configuration
     * @param catalogue the plugins
     * @param tickListener receives market events
     * @param statusListener receives status events
     * @param extra further modules
     * @return the injector
     */
    public static Injector injector(
            Config root,
            Catalogue catalogue,
            TickListener tickListener,
            StatusListener statusListener,
            Module... extra) {
        List<Module> modules = List.of(extra);
        return Guice.createInjector(
                Stage.PRODUCTION,
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        binder().requireExplicitBindings();
                        binder().disableCircularProxies();
                        // Yours override ours: any part can be replaced, extensions added.
                        install(
                                Modules.override(
                                                new TickmuxModule(
                                                        root,
                                                        catalogue,
                                                        tickListener,
                                                        statusListener))
                                        .with(modules));
                    }
                });
    }
}
