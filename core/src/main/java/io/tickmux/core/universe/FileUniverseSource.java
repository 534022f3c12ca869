package io.tickmux.core.universe;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Universes read from a directory, one file per universe: {@code <key>.txt}, {@code <key>.csv} or
 * {@code <key>.json}; a key {@code prefix:name} may also be the file {@code prefix/name.<ext>}.
 * Files are read on every lookup, so edits take effect at the next start or refresh.
 *
 * <ul>
 *   <li>{@code .txt}: symbols one per line or comma separated; {@code #} starts a comment.
 *   <li>{@code .csv}: the first column; a header whose first cell is {@code symbol} or {@code
 *       ticker} is skipped.
 *   <li>{@code .json}: an array of symbols, or the original app's {@code
 *       {"count":N,"stocks":[{"ticker":"AAPL"},...]}}, or {@code {"tickers":[...]}}.
 * </ul>
 */
public final class FileUniverseSource implements UniverseSource {

    private static final String[] EXTENSIONS = {".json", ".csv", ".txt"};

    private final Path directory;

    /**
     * @param directory the directory
     */
    public FileUniverseSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public Optional<List<String>> tickers(String key) {
        for (String base : candidates(key)) {
            for (String ext : EXTENSIONS) {
                Path f = directory.resolve(base + ext).normalize();
                if (!f.startsWith(directory.normalize())) {
                    throw new UniverseException(
                            "universe key '" + key + "' escapes " + directory, null);
                }
                if (Files.isRegularFile(f)) {
                    return Optional.of(read(f));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String key) {
        List<String> c = new ArrayList<>();
        c.add(key);
        int colon = key.indexOf(':');
        if (colon > 0) {
            c.add(key.substring(0, colon) + "/" + key.substring(colon + 1));
            c.add(key.replace(':', '_'));
        }
        return c;
    }

    static List<String> read(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (name.endsWith(".json")) {
                return json(text, f);
            }
            LinkedHashSet<String> out = new LinkedHashSet<>();
            boolean first = true;
            for (String line : text.split("\\R")) {
                String l = line.strip();
                int hash = l.indexOf('#');
                if (hash >= 0) {
                    l = l.substring(0, hash).strip();
                }
                if (l.isEmpty()) {
                    continue;
                }
                if (name.endsWith(".csv")) {
                    String cell = l.split(",", -1)[0].strip();
                    String lower = cell.toLowerCase(Locale.ROOT);
                    if (first && (lower.equals("symbol") || lower.equals("ticker"))) {
                        first = false;
                        continue;
                    }
                    first = false;
                    if (!cell.isEmpty()) {
                        out.add(cell);
                    }
                } else {
                    out.addAll(Symbols.split(l));
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UniverseException(
                    "cannot read universe file " + f + ": " + e.getMessage(), e);
        }
    }

    private static List<String> json(String text, Path f) {
        return parseJson(text, "universe file " + f);
    }

    /**
     * Parses a universe written as JSON: an array of symbols, the original app's {@code
     * {"count":N,"stocks":[{"ticker":"AAPL"},...]}}, or {@code {"tickers":[...]}}.
     *
     * @param text the JSON
     * @param origin where it came from, for the error message
     * @return the symbols in order, without duplicates
     * @throws UniverseException when it is not such JSON
     */
    public static List<String> parseJson(String text, String origin) {
        try {
            Config c = ConfigFactory.parseString("u = " + text);
            ConfigValue v = c.getValue("u");
            List<?> items;
            if (v.valueType() == ConfigValueType.LIST) {
                items = (List<?>) v.unwrapped();
            } else if (c.hasPath("u.stocks")) {
                items = (List<?>) c.getValue("u.stocks").unwrapped();
            } else if (c.hasPath("u.tickers")) {
                items = (List<?>) c.getValue("u.tickers").unwrapped();
            } else {
                throw new UniverseException(
                        origin
                                + " is JSON but neither an array nor an object with \"stocks\" or"
                                + " \"tickers\"",
                        null);
            }
            LinkedHashSet<String> out = new LinkedHashSet<>();
            for (Object o : items) {
                Object sym =
                        o instanceof Map<?, ?> m
                                ? (m.get("ticker") != null ? m.get("ticker") : m.get("symbol"))
                                : o;
                if (sym != null && !String.valueOf(sym).isBlank()) {
                    out.add(String.valueOf(sym).trim());
                }
            }
            return List.copyOf(out);
        } catch (ConfigException | ClassCastException e) {
            throw new UniverseException(
                    origin + " is not valid JSON of the expected shape: " + e.getMessage(), e);
        }
    }

    /** The factory, named {@code files}; its setting is {@code directory}. */
    public static final class Factory implements UniverseSourceFactory {
        @Override
        public String name() {
            return "files";
        }

        @Override
        public UniverseSource create(Config settings) {
            String dir = settings.hasPath("directory") ? settings.getString("directory") : "";
            if (dir.isBlank()) {
                throw new IllegalArgumentException(
                        "tickmux.app.universes.files.directory is empty: name the directory that"
                                + " holds the universe files");
            }
            Path p = Path.of(dir);
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException(
                        "tickmux.app.universes.files.directory = '" + dir + "' is not a directory");
            }
            return new FileUniverseSource(p);
        }
    }
}
