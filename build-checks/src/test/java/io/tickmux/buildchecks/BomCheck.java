package io.tickmux.buildchecks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * What is wrong with the BOM, given the reactor: every published module is in {@code bom/pom.xml}
 * with the reactor's version, and nothing else is.
 */
final class BomCheck {

    /**
     * Modules that are built but not published, with the reason. Everything else with an artifact
     * is published and belongs in the BOM.
     */
    static final Map<String, String> UNPUBLISHED =
            Map.of(
                    "benchmarks", "measurements, run from the source tree",
                    "build-checks", "tests of the build itself",
                    "examples/", "applications to read and copy, not to depend on");

    private BomCheck() {}

    /**
     * Whether a module is published.
     *
     * @param m a module with an artifact
     * @return {@code false} for the modules {@link #UNPUBLISHED} names (a key ending in {@code /}
     *     names every module under that directory)
     */
    static boolean published(Reactor.Module m) {
        for (String key : UNPUBLISHED.keySet()) {
            if (key.endsWith("/") ? m.path().startsWith(key) : m.path().equals(key)) {
                return false;
            }
        }
        return m.hasArtifact();
    }

    /**
     * The published modules by artifact id.
     *
     * @param root the reactor root
     * @return artifact id to module path, in reactor order
     */
    static Map<String, String> publishedModules(Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Reactor.Module m : Reactor.modules(root)) {
            if (published(m)) {
                out.put(m.artifactId(), m.path());
            }
        }
        return out;
    }

    /**
     * Every problem of the BOM, at once.
     *
     * @param root the reactor root (holds {@code pom.xml} and {@code bom/pom.xml})
     * @return one line per problem, naming the fix; empty when the BOM is complete
     */
    static List<String> problems(Path root) {
        Element parent = Reactor.parse(root.resolve("pom.xml")).getDocumentElement();
        Element bom = Reactor.parse(root.resolve("bom/pom.xml")).getDocumentElement();
        Map<String, String> published = publishedModules(root);
        List<String> problems = new ArrayList<>();

        String version = Reactor.text(parent, "version");
        if (!version.equals(Reactor.text(bom, "version"))) {
            problems.add(
                    "bom/pom.xml has version "
                            + Reactor.text(bom, "version")
                            + " but the reactor is at "
                            + version
                            + ": give the BOM the reactor's version");
        }
        Set<String> listed = new TreeSet<>();
        for (Element d : Reactor.dependencies(bom, "dependencyManagement")) {
            String artifact = Reactor.text(d, "artifactId");
            listed.add(artifact);
            if (!"io.tickmux".equals(Reactor.text(d, "groupId"))
                    || !"${project.version}".equals(Reactor.text(d, "version"))) {
                problems.add(
                        "bom/pom.xml lists "
                                + artifact
                                + " as "
                                + Reactor.text(d, "groupId")
                                + ":"
                                + Reactor.text(d, "version")
                                + ": use groupId io.tickmux and version ${project.version}");
            }
            if (!published.containsKey(artifact)) {
                problems.add(
                        "bom/pom.xml lists "
                                + artifact
                                + ", which no published module of the reactor builds: remove it");
            }
        }
        published.forEach(
                (artifact, path) -> {
                    if (!listed.contains(artifact)) {
                        problems.add(
                                "bom/pom.xml does not list "
                                        + artifact
                                        + " (module "
                                        + path
                                        + "): add it, or, if the module is not published, name it"
                                        + " in BomCheck.UNPUBLISHED with the reason");
                    }
                });
        return problems;
    }

    /**
     * Published modules the build-checks module does not depend on, so that the boundary rules
     * would not see their classes.
     *
     * @param root the reactor root
     * @return one line per missing dependency, naming the fix
     */
    static List<String> missingFromBuildChecks(Path root) {
        Element pom = Reactor.parse(root.resolve("build-checks/pom.xml")).getDocumentElement();
        Set<String> deps = new TreeSet<>();
        for (Element d : Reactor.dependencies(pom, null)) {
            if ("io.tickmux".equals(Reactor.text(d, "groupId"))) {
                deps.add(Reactor.text(d, "artifactId"));
            }
        }
        List<String> problems = new ArrayList<>();
        publishedModules(root)
                .forEach(
                        (artifact, path) -> {
                            if (!deps.contains(artifact)) {
                                problems.add(
                                        "build-checks/pom.xml does not depend on "
                                                + artifact
                                                + " (module "
                                                + path
                                                + "): add it at test scope, so that the boundary"
                                                + " rules see its classes");
                            }
                        });
        return problems;
    }
}
