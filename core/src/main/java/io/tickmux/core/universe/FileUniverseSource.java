package io.tickmux.core.universe;

import com.typesafe.config.Config;
import io.tickmux.spi.universe.Symbols;
import io.tickmux.spi.universe.Universe;
import io.tickmux.spi.universe.UniverseJson;
import io.tickmux.spi.universe.UniverseSource;
import io.tickmux.spi.universe.UniverseSourceFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *       {"count":N,"stocks":[{"ticker":"AAPL"},...]}}, or {@code {"tickers":[...]}}; parsed as
 *       strict JSON ({@link UniverseJson}), so an {@code include} is an error, never followed.
 * </ul>
 *
 * <p>An entry that is not a valid symbol ({@link Symbols#problem}) is skipped and named in {@link
 * #read}'s answer with its line or element; a file that cannot be parsed at all is an error.
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
        return read(key).map(Universe::tickers);
    }

    @Override
    public Optional<Universe> read(String key) {
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

    static Universe read(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UniverseException(
                    "cannot read universe file " + f + ": " + e.getMessage(), e);
        }
        if (name.endsWith(".json")) {
            return UniverseJson.parse(text, "universe file " + f);
        }
        boolean csv = name.endsWith(".csv");
        Universe.Builder out = Universe.builder();
        boolean first = true;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash).strip();
            }
            if (l.isEmpty()) {
                continue;
            }
            String where = f.getFileName() + " line " + (i + 1);
            if (csv) {
                String cell = l.split(",", -1)[0].strip();
                String lower = cell.toLowerCase(Locale.ROOT);
                if (first && (lower.equals("symbol") || lower.equals("ticker"))) {
                    first = false;
                    continue;
                }
                first = false;
                out.add(where, cell);
            } else {
                for (String s : Symbols.split(l)) {
                    out.add(where, s);
                }
            }
        }
        return out.build();
    }

    /**
     * Parses a universe written as JSON, strictly (see {@link UniverseJson}): an array of symbols,
     * the original app's {@code {"count":N,"stocks":[{"ticker":"AAPL"},...]}}, or {@code
     * {"tickers":[...]}}.
     *
     * @param text the JSON
     * @param origin where it came from, for the error message
     * @return the valid symbols in order, without duplicates (invalid entries are skipped)
     * @throws UniverseException when it is not such JSON
     * @see UniverseJson#parse(String, String)
     */
    public static List<String> parseJson(String text, String origin) {
        return UniverseJson.parse(text, origin).tickers();
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
