package io.tickmux.spi.universe;

import com.typesafe.config.Config;

/**
 * Creates a {@link UniverseSource}. Discovered with {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.spi.universe.UniverseSourceFactory}; configuration selects one by
 * name ({@code tickmux.app.universes.source}). Implementations are thread-safe.
 */
public interface UniverseSourceFactory {

    /**
     * @return the name configuration selects this source by, matching {@code [a-z][a-z0-9-]*}
     */
    String name();

    /**
     * @param settings this source's subtree, {@code tickmux.app.universes.<name>}; empty when none
     * @return a new source
     * @throws IllegalArgumentException naming each bad setting
     */
    UniverseSource create(Config settings);
}
