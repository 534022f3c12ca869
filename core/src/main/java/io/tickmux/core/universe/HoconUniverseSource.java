package io.tickmux.core.universe;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tickmux.spi.universe.Symbols;
import io.tickmux.spi.universe.UniverseSource;
import io.tickmux.spi.universe.UniverseSourceFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Universes written in configuration: {@code tickmux.app.universes.hocon { key = [AAPL, MSFT] }}.
 */
public final class HoconUniverseSource implements UniverseSource {

    private final Map<String, List<String>> universes;

    /**
     * @param universes key to tickers; copied
     */
    public HoconUniverseSource(Map<String, List<String>> universes) {
        this.universes = Map.copyOf(universes);
    }

    @Override
    public Optional<List<String>> tickers(String key) {
        return Optional.ofNullable(universes.get(key));
    }

    /** The factory, named {@code hocon}. */
    public static final class Factory implements UniverseSourceFactory {
        @Override
        public String name() {
            return "hocon";
        }

        @Override
        public UniverseSource create(Config settings) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, ConfigValue> e : settings.root().entrySet()) {
                ConfigValue v = e.getValue();
                if (v.valueType() == ConfigValueType.LIST) {
                    LinkedHashSet<String> set = new LinkedHashSet<>();
                    for (Object o : (List<?>) v.unwrapped()) {
                        String s = String.valueOf(o).trim();
                        if (!s.isEmpty()) {
                            set.add(s);
                        }
                    }
                    m.put(e.getKey(), List.copyOf(set));
                } else if (v.valueType() == ConfigValueType.STRING) {
                    m.put(e.getKey(), Symbols.split((String) v.unwrapped()));
                } else {
                    problems.add(
                            "tickmux.app.universes.hocon.\""
                                    + e.getKey()
                                    + "\" must be a list of tickers or \"AAPL,MSFT\" (quote keys"
                                    + " that contain ':' or '.')");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new HoconUniverseSource(m);
        }
    }
}
