package io.tickmux.buildchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The reactor as its POM files describe it, read with the JDK's XML parser. */
final class Reactor {

    /**
     * One module of the reactor.
     *
     * @param path its directory relative to the reactor root, with {@code /} ({@code
     *     routers/sector})
     * @param dir its directory
     * @param artifactId its artifact id
     * @param packaging {@code jar} unless the POM says otherwise
     */
    record Module(String path, Path dir, String artifactId, String packaging) {

        /** Whether the module ships code: anything but an aggregator or a BOM. */
        boolean hasArtifact() {
            return !packaging.equals("pom");
        }

        /**
         * The Java packages of its main code: every directory under {@code src/main/java} that
         * holds a {@code .java} file.
         */
        Set<String> mainPackages() {
            Path src = dir.resolve("src/main/java");
            Set<String> packages = new TreeSet<>();
            if (!Files.isDirectory(src)) {
                return packages;
            }
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .forEach(
                                f ->
                                        packages.add(
                                                src.relativize(f.getParent())
                                                        .toString()
                                                        .replace(
                                                                f.getFileSystem().getSeparator(),
                                                                ".")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return packages;
        }
    }

    private Reactor() {}

    /** The reactor root: the parent of this module's directory, where Maven runs the tests. */
    static Path root() {
        Path here = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        return here.getParent();
    }

    /**
     * Every module under a root POM, depth first, in the order the POMs list them (the root itself
     * not included).
     *
     * @param root the directory of the root {@code pom.xml}
     * @return the modules
     */
    static List<Module> modules(Path root) {
        List<Module> out = new ArrayList<>();
        collect(root, root, out);
        return out;
    }

    private static void collect(Path root, Path dir, List<Module> out) {
        Element pom = parse(dir.resolve("pom.xml")).getDocumentElement();
        for (String name : texts(child(pom, "modules"), "module")) {
            Path moduleDir = dir.resolve(name).normalize();
            Element modulePom = parse(moduleDir.resolve("pom.xml")).getDocumentElement();
            String packaging = text(modulePom, "packaging");
            out.add(
                    new Module(
                            root.relativize(moduleDir).toString().replace('\\', '/'),
                            moduleDir,
                            text(modulePom, "artifactId"),
                            packaging == null ? "jar" : packaging));
            collect(root, moduleDir, out);
        }
    }

    /**
     * Parses a POM.
     *
     * @param pom the file
     * @return the document
     */
    static Document parse(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** The first child element of that name, or {@code null}. */
    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The trimmed text of the first child element of that name, or {@code null}. */
    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    /** The trimmed texts of every child element of that name. */
    static List<String> texts(Element parent, String name) {
        List<String> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
    }

    /**
     * The dependencies a POM manages or declares.
     *
     * @param pom the POM's root element
     * @param under {@code dependencyManagement} for managed ones, {@code null} for declared ones
     * @return each dependency element
     */
    static List<Element> dependencies(Element pom, String under) {
        Element holder = under == null ? pom : child(pom, under);
        List<Element> out = new ArrayList<>();
        Element deps = child(holder, "dependencies");
        if (deps == null) {
            return out;
        }
        for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("dependency")) {
                out.add(e);
            }
        }
        return out;
    }
}
