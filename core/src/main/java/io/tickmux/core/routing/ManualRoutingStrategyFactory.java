package io.tickmux.core.routing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the {@link ManualRoutingStrategy}, named {@code manual}. Its settings ({@code
 * tickmux.routing.manual}) hold {@code assignments}: a map of ticker to connection id, e.g. {@code
 * assignments { AAPL = connection_1, "BRK.A" = connection_2 }}.
 */
public final class ManualRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "manual";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config settings, RoutingContext context) {
        Map<String, String> rules = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (settings.hasPath("assignments")) {
            try {
                for (Map.Entry<String, ConfigValue> e :
                        settings.getObject("assignments").entrySet()) {
                    Object v = e.getValue().unwrapped();
                    if (v instanceof String s && !s.isBlank()) {
                        rules.put(e.getKey(), s);
                    } else {
                        problems.add(
                                "tickmux.routing.manual.assignments."
                                        + e.getKey()
                                        + " must be a connection id string, was "
                                        + v);
                    }
                }
            } catch (ConfigException e) {
                problems.add(
                        "tickmux.routing.manual.assignments must be an object of ticker ="
                                + " connection id");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new ManualRoutingStrategy(rules);
    }
}
