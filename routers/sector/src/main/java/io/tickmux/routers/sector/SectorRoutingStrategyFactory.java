package io.tickmux.routers.sector;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tickmux.routing.RoutingContext;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.RoutingStrategyFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the {@link SectorRoutingStrategy}, named {@code sector}, from {@code
 * tickmux.routing.sector} (documented in this module's {@code reference.conf}).
 */
public final class SectorRoutingStrategyFactory implements RoutingStrategyFactory {

    /** The name configuration selects this router by. */
    public static final String NAME = "sector";

    private static final String P = "tickmux.routing.sector.";
    private static final Set<String> KEYS =
            Set.of("sectors", "default-connection", "when-unavailable", "tickers", "metadata-file");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingStrategy create(Config s, RoutingContext context) {
        List<String> problems = new ArrayList<>();
        for (String k : s.root().keySet()) {
            if (!KEYS.contains(k)) {
                problems.add("unknown key " + P + k + ": use one of " + KEYS);
            }
        }
        Map<String, List<String>> sectors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : s.getObject("sectors").entrySet()) {
                ConfigValue v = e.getValue();
                if (v.valueType() == ConfigValueType.LIST) {
                    List<String> ids = new ArrayList<>();
                    ((List<?>) v.unwrapped()).forEach(o -> ids.add(String.valueOf(o)));
                    sectors.put(e.getKey(), ids);
                } else if (v.valueType() == ConfigValueType.STRING) {
                    sectors.put(e.getKey(), List.of((String) v.unwrapped()));
                } else {
                    problems.add(
                            P
                                    + "sectors."
                                    + e.getKey()
                                    + " must be a connection id or a list of them");
                }
            }
        } catch (ConfigException e) {
            problems.add(
                    P
                            + "sectors must map sectors to connection ids, e.g. sectors { technology = connection_1 }");
        }
        String def = s.hasPath("default-connection") ? s.getString("default-connection") : "";
        if (def.isBlank()) {
            problems.add(
                    P + "default-connection is missing: name the connection for unknown sectors");
        }
        String u = s.hasPath("when-unavailable") ? s.getString("when-unavailable") : "spill";
        if (!u.equals("spill") && !u.equals("refuse")) {
            problems.add(P + "when-unavailable = '" + u + "' is not valid: use spill or refuse");
        }
        Map<String, String> byTicker = new LinkedHashMap<>();
        String file = s.hasPath("metadata-file") ? s.getString("metadata-file") : "";
        if (!file.isBlank()) {
            try {
                byTicker.putAll(readCsv(Path.of(file)));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(
                        P + "metadata-file = '" + file + "' cannot be read: " + e.getMessage());
            }
        }
        if (s.hasPath("tickers")) {
            try {
                s.getObject("tickers")
                        .forEach((k, v) -> byTicker.put(k, String.valueOf(v.unwrapped())));
            } catch (ConfigException e) {
                problems.add(
                        P
                                + "tickers must map tickers to sectors, e.g. tickers { AAPL = technology }");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new SectorRoutingStrategy(sectors, byTicker, def, u.equals("spill"));
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
                    || (n == 1 && l.toLowerCase(java.util.Locale.ROOT).startsWith("symbol"))) {
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
