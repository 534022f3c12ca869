package io.tickmux.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BomTest {

    @Test
    void theBomListsEveryPublishedModuleAndNothingElse() {
        assertThat(BomCheck.problems(Reactor.root())).isEmpty();
    }

    @Test
    void theBuildChecksSeeEveryPublishedModule() {
        assertThat(BomCheck.missingFromBuildChecks(Reactor.root())).isEmpty();
    }

    @Test
    void publishedMeansEveryModuleWithAnArtifactButBenchmarksExamplesAndTheseChecks() {
        assertThat(BomCheck.publishedModules(Reactor.root()))
                .containsKeys(
                        "tickmux-router-spi",
                        "tickmux-router-kit",
                        "tickmux-core",
                        "tickmux-universe-jdbc",
                        "tickmux-router-sector",
                        "tickmux-sink-nats",
                        "tickmux-bus-testkit")
                .doesNotContainKeys(
                        "tickmux-bom",
                        "tickmux-routers",
                        "tickmux-sinks",
                        "tickmux-examples",
                        "tickmux-example-custom-router",
                        "tickmux-quickstart",
                        "tickmux-benchmarks",
                        "tickmux-build-checks");
    }

    @Test
    void aModuleAddedToTheReactorButNotToTheBomIsNamedWithTheFix(@TempDir Path root)
            throws IOException {
        pom(
                root,
                "",
                "tickmux-parent",
                "pom",
                "<modules><module>bom</module><module>a</module>"
                        + "<module>group</module><module>examples</module></modules>");
        pom(
                root,
                "bom",
                "tickmux-bom",
                "pom",
                "<dependencyManagement><dependencies>"
                        + dep("tickmux-a", "${project.version}")
                        + dep("tickmux-gone", "${project.version}")
                        + dep("tickmux-b", "1.0")
                        + "</dependencies></dependencyManagement>");
        pom(root, "a", "tickmux-a", null, "");
        pom(
                root,
                "group",
                "tickmux-group",
                "pom",
                "<modules><module>b</module><module>c</module></modules>");
        pom(root, "group/b", "tickmux-b", null, "");
        pom(root, "group/c", "tickmux-c", "jar", "");
        pom(
                root,
                "examples",
                "tickmux-examples",
                "pom",
                "<modules><module>demo</module></modules>");
        pom(root, "examples/demo", "tickmux-demo", null, "");

        assertThat(BomCheck.problems(root))
                .containsExactlyInAnyOrder(
                        "bom/pom.xml lists tickmux-gone, which no published module of the reactor"
                                + " builds: remove it",
                        "bom/pom.xml lists tickmux-b as io.tickmux:1.0: use groupId io.tickmux"
                                + " and version ${project.version}",
                        "bom/pom.xml does not list tickmux-c (module group/c): add it, or, if the"
                                + " module is not published, name it in BomCheck.UNPUBLISHED with"
                                + " the reason");
    }

    private static String dep(String artifact, String version) {
        return "<dependency><groupId>io.tickmux</groupId><artifactId>"
                + artifact
                + "</artifactId><version>"
                + version
                + "</version></dependency>";
    }

    private static void pom(Path root, String dir, String artifact, String packaging, String body)
            throws IOException {
        Path d = Files.createDirectories(root.resolve(dir));
        Files.writeString(
                d.resolve("pom.xml"),
                "<project><modelVersion>4.0.0</modelVersion><groupId>io.tickmux</groupId>"
                        + "<artifactId>"
                        + artifact
                        + "</artifactId><version>1.0</version>"
                        + (packaging == null ? "" : "<packaging>" + packaging + "</packaging>")
                        + body
                        + "</project>");
    }
}
