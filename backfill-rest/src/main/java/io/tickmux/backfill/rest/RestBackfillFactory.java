package io.tickmux.backfill.rest;

import com.typesafe.config.Config;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.backfill.BackfillHookFactory;

/** The REST backfill by name: {@code tickmux.app.backfill = rest}. */
public final class RestBackfillFactory implements BackfillHookFactory {

    /** The name configuration selects it by. */
    public static final String NAME = "rest";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param settings {@code tickmux.backfill.rest}; keys left out take this module's defaults
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    @Override
    public BackfillHook create(Config settings) {
        return new RestBackfill(RestBackfillSettings.from(settings));
    }
}
