package io.tickmux.core.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.Locale;
import java.util.Map;

/** Renders configuration for the start-up log with every secret masked. */
public final class MaskedConfig {

    private MaskedConfig() {}

    /**
     * Renders {@code tickmux} as compact HOCON, replacing the value of every key whose name says it
     * is a secret ({@code key}, {@code token}, {@code secret}, {@code password}) by {@code ****}.
     *
     * @param root the whole configuration
     * @return the rendering
     */
    public static String render(Config root) {
        if (!root.hasPath("tickmux")) {
            return "{}";
        }
        Config c = root.getConfig("tickmux");
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            String last =
                    e.getKey().substring(e.getKey().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            boolean secret =
                    last.endsWith("key") && !last.endsWith("universe-key")
                            || last.contains("token")
                            || last.contains("secret")
                            || last.contains("password");
            if (secret && !String.valueOf(e.getValue().unwrapped()).isEmpty()) {
                c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef("****"));
            }
        }
        return c.root().render(ConfigRenderOptions.concise().setFormatted(false));
    }
}
