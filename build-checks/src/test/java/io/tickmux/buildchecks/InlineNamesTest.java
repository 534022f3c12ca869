package io.tickmux.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Main code names a type by its simple name and imports it: no inline fully-qualified names such as
 * {@code java.util.Locale.ROOT} or {@code new com.example.Thing()} outside imports, comments and
 * strings. Packages that still have some are a frozen list that only shrinks.
 */
class InlineNamesTest {

    /**
     * Packages whose main code still has inline fully-qualified names (issue 20), because other
     * work was changing them while the rest were cleaned. Remove a package once it has none.
     */
    static final Set<String> NOT_YET_CLEAN =
            Set.of(
                    "io.tickmux.core",
                    "io.tickmux.app",
                    "io.tickmux.spi.event",
                    "io.tickmux.core.internal",
                    "io.tickmux.spi.universe",
                    "io.tickmux.health.http",
                    "io.tickmux.transport.massive",
                    "io.tickmux.fake",
                    "io.tickmux.ha",
                    "io.tickmux.benchmarks",
                    "io.tickmux.examples.quickstart");

    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.])((?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*)");

    @Test
    void mainCodeImportsWhatItNames() throws IOException {
        Map<String, List<String>> found = inlineNames(Reactor.root());
        Map<String, List<String>> unexpected = new TreeMap<>(found);
        unexpected.keySet().removeAll(NOT_YET_CLEAN);
        assertThat(unexpected)
                .as("inline fully-qualified names (import the type and use its simple name)")
                .isEmpty();
        Set<String> clean = new TreeSet<>(NOT_YET_CLEAN);
        clean.removeAll(found.keySet());
        assertThat(clean)
                .as("packages that are clean now: remove them from NOT_YET_CLEAN")
                .isEmpty();
    }

    @Test
    void commentsStringsImportsAndNestedTypesAreNotInlineNames() {
        String src =
                "package a.b;\n"
                        + "import java.util.List;\n"
                        + "/** See {@link java.util.Map}. */\n"
                        + "class X {\n"
                        + "  // java.util.Set in a comment\n"
                        + "  String s = \"java.util.Locale\";\n"
                        + "  char c = '\\'';\n"
                        + "  int n = list.size() + Map.Entry.class.hashCode();\n"
                        + "  Object o = new java.util.TreeSet<>();\n"
                        + "}\n";

        assertThat(inlineNames(src)).containsExactly("9: java.util.TreeSet");
    }

    /** Package to {@code file:line: name} for every inline name in the reactor's main code. */
    static Map<String, List<String>> inlineNames(Path root) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (Reactor.Module m : Reactor.modules(root)) {
            Path src = m.dir().resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(src)) {
                files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            for (Path f : files) {
                String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                for (String hit : inlineNames(Files.readString(f))) {
                    out.computeIfAbsent(pkg, k -> new ArrayList<>())
                            .add(root.relativize(f) + ":" + hit);
                }
            }
        }
        return out;
    }

    /** {@code line: name} for every inline fully-qualified name in one source file. */
    static List<String> inlineNames(String source) {
        List<String> hits = new ArrayList<>();
        String[] lines = code(source).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            if (t.startsWith("import ") || t.startsWith("package ")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(lines[i]);
            while (m.find()) {
                hits.add((i + 1) + ": " + m.group(1));
            }
        }
        return hits;
    }

    /** The source with comments, strings and characters blanked, line breaks kept. */
    static String code(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end;
            if (s.startsWith("//", i)) {
                end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i);
                end = i + 1;
                while (end < s.length() && s.charAt(end) != quote) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, s.length());
            } else {
                out.append(s.charAt(i++));
                continue;
            }
            for (int k = i; k < end; k++) {
                out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString();
    }
}
