package io.tickmux.spi.universe;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.parser.ConfigDocumentFactory;
import java.util.List;
import java.util.Locale;

/**
 * Parses a universe written as JSON, strictly: plain JSON (RFC 8259) only, so HOCON's {@code
 * include file(...)}, {@code include url(...)}, {@code ${substitutions}}, comments and unquoted
 * strings are errors, never followed. Three shapes: an array of symbols, the original app's {@code
 * {"count":N,"stocks":[{"ticker":"AAPL"},...]}}, or {@code {"tickers":[...]}} (entries may be
 * strings or objects with a {@code "ticker"} or {@code "symbol"}). An entry that is not a valid
 * symbol is skipped, saying where it was; a document that is not such JSON is an error.
 */
public final class UniverseJson {

    private UniverseJson() {}

    /**
     * Parses a universe.
     *
     * @param text the JSON document
     * @param origin where it came from, for messages (e.g. {@code universe file /u/x.json})
     * @return the universe; its {@code skipped} names each entry that was not a valid symbol
     * @throws UniverseSource.UniverseException when the text is not JSON of one of the shapes
     */
    public static Universe parse(String text, String origin) {
        if (text == null || text.isBlank()) {
            throw new UniverseSource.UniverseException(
                    origin + " is empty: expected a JSON array or object", null);
        }
        ConfigParseOptions options =
                ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.JSON)
                        .setAllowMissing(false)
                        .setOriginDescription(origin);
        ConfigValue root;
        try {
            // The document parser checks that the text is exactly one JSON array or object (no
            // trailing tokens); values are then read from the same text, also as JSON.
            ConfigDocumentFactory.parseString(text, options);
            String trimmed = text.strip();
            if (trimmed.startsWith("\uFEFF")) {
                trimmed = trimmed.substring(1).strip();
            }
            root =
                    trimmed.startsWith("[")
                            ? ConfigFactory.parseString("{\"u\":" + trimmed + "}", options)
                                    .root()
                                    .get("u")
                            : ConfigFactory.parseString(trimmed, options).root();
        } catch (ConfigException e) {
            throw new UniverseSource.UniverseException(
                    origin + " is not valid JSON: " + e.getMessage(), e);
        }
        String field = "";
        ConfigValue items = root;
        if (root.valueType() == ConfigValueType.OBJECT) {
            ConfigObject o = (ConfigObject) root;
            field = o.containsKey("stocks") ? "stocks" : o.containsKey("tickers") ? "tickers" : "";
            if (field.isEmpty()) {
                throw new UniverseSource.UniverseException(
                        origin
                                + " is JSON but neither an array nor an object with \"stocks\" or"
                                + " \"tickers\"",
                        null);
            }
            items = o.get(field);
            if (items.valueType() != ConfigValueType.LIST) {
                throw new UniverseSource.UniverseException(
                        origin + ": \"" + field + "\" must be an array", null);
            }
        }
        Universe.Builder b = Universe.builder();
        List<?> list = (List<?>) items;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = (ConfigValue) list.get(i);
            String where = field + "[" + i + "]";
            switch (v.valueType()) {
                case STRING -> b.add(where, (String) v.unwrapped());
                case OBJECT -> {
                    ConfigObject o = (ConfigObject) v;
                    ConfigValue sym = o.containsKey("ticker") ? o.get("ticker") : o.get("symbol");
                    if (sym == null) {
                        b.skip(where, "has no \"ticker\"");
                    } else if (sym.valueType() != ConfigValueType.STRING) {
                        b.skip(where, "its ticker is " + kind(sym) + ", not a string");
                    } else {
                        b.add(where, (String) sym.unwrapped());
                    }
                }
                default -> b.skip(where, "is " + kind(v) + ", not a symbol");
            }
        }
        return b.build();
    }

    private static String kind(ConfigValue v) {
        return switch (v.valueType()) {
            case NULL -> "null";
            case LIST -> "an array";
            case OBJECT -> "an object";
            default -> "the " + v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render();
        };
    }
}
