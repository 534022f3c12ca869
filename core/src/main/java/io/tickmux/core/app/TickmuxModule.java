package io.tickmux.core.app;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import io.tickmux.core.Catalogue;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.core.StatusListener;
import io.tickmux.core.TickListener;

/**
 * Guice bindings for a tickmux application: the configuration, the settings records (read eagerly,
 * so a bad configuration fails when the injector is made), the plugin catalogue, the assembled
 * {@link Tickmux} and its manager. Explicit bindings only; install it with {@link TickmuxBootstrap}
 * or in your own injector.
 */
public final class TickmuxModule extends AbstractModule {

    private final Config root;
    private final Catalogue catalogue;
    private final TickListener tickListener;
    private final StatusListener statusListener;

    /**
     * @param root the whole configuration
     * @param catalogue the plugins
     * @param tickListener receives market events
     * @param statusListener receives status events
     */
    public TickmuxModule(
            Config root,
            Catalogue catalogue,
            TickListener tickListener,
            StatusListener statusListener) {
        this.root = requireNonNull(root, "root is null");
        this.catalogue = requireNonNull(catalogue, "catalogue is null");
        this.tickListener = requireNonNull(tickListener, "tickListener is null");
        this.statusListener = requireNonNull(statusListener, "statusListener is null");
    }

    @Override
    protected void configure() {
        bind(Config.class).toInstance(root);
        bind(Catalogue.class).toInstance(catalogue);
        bind(CoreSettings.class).toInstance(CoreSettings.from(root));
        bind(AppSettings.class).toInstance(AppSettings.from(root));
    }

    @Provides
    @Singleton
    Tickmux tickmux(Config config, Catalogue plugins) {
        return Tickmux.builder(config)
                .catalogue(plugins)
                .tickListener(tickListener)
                .statusListener(statusListener)
                .build();
    }

    @Provides
    @Singleton
    MultiConnectionManager manager(Tickmux app) {
        return app.manager();
    }
}
