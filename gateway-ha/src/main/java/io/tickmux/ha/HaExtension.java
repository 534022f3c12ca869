package io.tickmux.ha;

import com.typesafe.config.Config;
import io.tickmux.app.TickmuxExtension;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.config.ConfigProblems;
import java.util.List;

/**
 * Lists the {@code tickmux.ha} settings' problems with every other configuration problem, in the
 * application's one configuration pass. Starts nothing: {@link HaGateway} runs the pair.
 */
public final class HaExtension implements TickmuxExtension {

    @Override
    public String name() {
        return "gateway-ha";
    }

    @Override
    public List<String> validate(Config root) {
        try {
            HaSettings.from(root);
            return List.of();
        } catch (ConfigProblems e) {
            return e.problems();
        }
    }

    @Override
    public AutoCloseable start(MultiConnectionManager manager, Config root) {
        return null;
    }
}
