package io.tickmux.spi.backfill;

import com.typesafe.config.Config;

/**
 * Makes a {@link BackfillHook} chosen by name from configuration ({@code tickmux.app.backfill =
 * <name>}); found with {@link java.util.ServiceLoader} under {@code
 * META-INF/services/io.tickmux.spi.backfill.BackfillHookFactory}.
 */
public interface BackfillHookFactory {

    /**
     * @return the name configuration selects it by: lower case, digits and dashes
     */
    String name();

    /**
     * Makes the hook.
     *
     * @param settings its settings, {@code tickmux.backfill.<name>}; empty when absent
     * @return the hook
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem of its settings
     */
    BackfillHook create(Config settings);
}
