package io.tickmux.app;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.typesafe.config.Config;
import io.tickmux.core.Catalogue;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.universe.UniverseSource;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Guice bindings for a tickmux application. Each part is bound once, from the catalogue and the
 * settings, and can be replaced by a module of your own ({@link TickmuxBootstrap} installs yours
 * with {@code Modules.override}):
 *
 * <ul>
 *   <li>{@link Config}, {@link Catalogue}, {@link TickListener}, {@link StatusListener};
 *   <li>{@link AppSettings}, {@link CoreSettings} (read once);
 *   <li>{@link TransportFactory} ({@code tickmux.app.transport}), {@link RoutingStrategyFactory}
 *       ({@code tickmux.routing.strategy}), {@link UniverseSource} ({@code
 *       tickmux.app.universes.source});
 *   <li>a set of {@link TickmuxExtension}s (a multibinder: the ones on the classpath; add yours
 *       with {@code Multibinder.newSetBinder(binder(), TickmuxExtension.class).addBinding()});
 *   <li>the assembled {@link Tickmux} and its {@link MultiConnectionManager}.
 * </ul>
 *
 * <p>The whole configuration is checked in one pass when the module is configured, so a bad
 * configuration fails when the injector is made, listing every problem.
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
        Tickmux.check(root, catalogue); // every problem at once, before any part is made
        bind(Config.class).toInstance(root);
        bind(Catalogue.class).toInstance(catalogue);
        bind(TickListener.class).toInstance(tickListener);
        bind(StatusListener.class).toInstance(statusListener);
        Multibinder<TickmuxExtension> extensions =
                Multibinder.newSetBinder(binder(), TickmuxExtension.class);
        for (TickmuxExtension e : ServiceLoader.load(TickmuxExtension.class)) {
            extensions.addBinding().toInstance(e);
        }
    }

    @Provides
    @Singleton
    AppSettings appSettings(Config config) {
        return AppSettings.from(config);
    }

    @Provides
    @Singleton
    CoreSettings coreSettings(Config config) {
        return CoreSettings.from(config);
    }

    @Provides
    @Singleton
    TransportFactory transport(Catalogue plugins, AppSettings app) {
        return plugins.transport(app.transport());
    }

    @Provides
    @Singleton
    RoutingStrategyFactory router(Catalogue plugins, Config config) {
        return plugins.router(config.getString("tickmux.routing.strategy"));
    }

    @Provides
    @Singleton
    UniverseSource universes(Catalogue plugins, AppSettings app) {
        return plugins.universeSource(app.universeSource()).create(app.universeSourceSettings());
    }

    @Provides
    @Singleton
    Tickmux tickmux(
            Config config,
            Catalogue plugins,
            TransportFactory transport,
            RoutingStrategyFactory router,
            UniverseSource universes,
            Set<TickmuxExtension> extensions,
            TickListener ticks,
            StatusListener status) {
        return Tickmux.builder(config)
                .catalogue(plugins)
                .transport(transport)
                .routerFactory(router)
                .universeSource(universes)
                .extensions(new ArrayList<>(extensions))
                .tickListener(ticks)
                .statusListener(status)
                .build();
    }

    @Provides
    @Singleton
    MultiConnectionManager manager(Tickmux app) {
        return app.manager();
    }
}
