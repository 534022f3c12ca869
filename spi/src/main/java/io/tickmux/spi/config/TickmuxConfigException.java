package io.tickmux.spi.config;

import io.tickmux.routing.config.ConfigProblems;
import java.util.List;

/**
 * Configuration is invalid. Lists every problem found, each naming the full path of the key and how
 * to fix it, so that one start-up attempt shows them all.
 */
public final class TickmuxConfigException extends ConfigProblems {

    private static final long serialVersionUID = 1L;

    /**
     * @param problems the problems, at least one; copied
     */
    public TickmuxConfigException(List<String> problems) {
        super(problems);
    }
}
