package io.tickmux.spi.config;

import com.typesafe.config.Config;
import io.tickmux.routing.config.StrictConfig;
import java.util.List;

/**
 * Reads one module's configuration subtree eagerly, collecting every problem instead of stopping at
 * the first (see {@link StrictConfig}, which it is); {@link #finish()} throws {@link
 * TickmuxConfigException}.
 *
 * <p>Not thread-safe; use one reader per settings record, at start-up.
 */
public final class SettingsReader extends StrictConfig {

    /**
     * @param root the whole configuration
     * @param path the subtree this reader owns, e.g. {@code tickmux.core}
     */
    public SettingsReader(Config root, String path) {
        super(root, path);
    }

    @Override
    protected RuntimeException failure(List<String> problems) {
        return new TickmuxConfigException(problems);
    }
}
