package io.tickmux.routers.sector;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import io.tickmux.routing.config.StrictConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the {@link SectorRoutingStrategy}, named {@code sector}, from {@code
 * tickmux.routing.sector} (documented in this module's {@code reference.conf}).
 */
public final class SectorRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "sector";

    @Override
    public String name() {
        return NAME;
    }

    /** What a full or down sector does. */
    enum WhenUnavailable {
        SPILL,
        REFUSE
    }

    @Override
    public RoutingStrategy create(Config s, RoutingContext context) {
        // Defaults come from this module's reference.conf; unknown keys get a did-you-mean.
        StrictConfig r = StrictConfig.of(s, "tickmux.routing.sector");
        Map<String, List<String>> sectors = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.freeForm("sectors").root().entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.LIST) {
                List<String> ids = new ArrayList<>();
                ((List<?>) v.unwrapped()).forEach(o -> ids.add(String.valueOf(o)));
                sectors.put(e.getKey(), ids);
            } else if (v.valueType() == ConfigValueType.STRING) {
                sectors.put(e.getKey(), List.of((String) v.unwrapped()));
            } else {
                r.problem("sectors." + e.getKey(), "must be a connection id or a list of them");
            }
        }
        String def = r.string("default-connection");
        if (def.isBlank()) {
            r.problem("default-connection", "is missing: name the connection for unknown sectors");
        }
        WhenUnavailable u = r.enumValue("when-unavailable", WhenUnavailable.class);
        Map<String, String> byTicker = new LinkedHashMap<>();
        String file = r.string("metadata-file");
        if (!file.isBlank()) {
            try {
                byTicker.putAll(readCsv(Path.of(file)));
            } catch (IOException | IllegalArgumentException e) {
                r.problem("metadata-file", "= '" + file + "' cannot be read: " + e.getMessage());
            }
        }
        r.freeForm("tickers")
                .root()
                .forEach((k, v) -> byTicker.put(k, String.valueOf(v.unwrapped())));
        r.finish();
        return new SectorRoutingStrategy(sectors, byTicker, def, u == WhenUnavailable.SPILL);
    }

    /**
     * Reads {@code symbol,sector,tier} lines (tier optional; a header line starting with {@code
     * symbol} and lines starting with {@code #} are skipped).
     *
     * @param file the CSV file
     * @return symbol to sector
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the first bad line
     */
    static Map<String, String> readCsv(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty()
                    || l.startsWith("#")
                    || (n == 1 && l.toLowerCase(Locale.ROOT).startsWith("symbol"))) {
                continue;
            }
            String[] f = l.split(",", -1);
            if (f.length < 2 || f[0].isBlank() || f[1].isBlank()) {
                throw new IllegalArgumentException(
                        "line " + n + " is not symbol,sector[,tier]: '" + line + "'");
            }
            out.put(f[0].strip(), f[1].strip());
        }
        return out;
    }
}
