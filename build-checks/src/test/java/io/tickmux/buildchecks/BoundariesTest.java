package io.tickmux.buildchecks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Module boundaries, enforced: no class of one module touches another module's {@code internal}
 * packages (one ArchUnit rule per module that has any), and no package is split across modules.
 * Main code of every published module is checked; tests may reach into internals, and the
 * benchmarks measure internals on purpose.
 */
class BoundariesTest {

    /**
     * The crossings that exist today and are waiting for issue 20 (an API for what they use, or the
     * module split). Frozen: a new crossing fails the rule, and an entry that no longer happens
     * fails {@link #theAllowListOnlyShrinks} until it is removed here. Each entry is {@code origin
     * -> target}, top-level classes.
     */
    static final Set<String> KNOWN_CROSSINGS = Set.of(); // none left: add none

    private static JavaClasses classes;
    private static Map<String, String> moduleOfPackage;
    private static final Set<String> crossingsSeen = new TreeSet<>();

    @BeforeAll
    static void importClasses() {
        moduleOfPackage = new TreeMap<>();
        for (Reactor.Module m : Reactor.modules(Reactor.root())) {
            for (String p : m.mainPackages()) {
                moduleOfPackage.merge(p, m.path(), (a, b) -> a + ", " + b);
            }
        }
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.tickmux");
    }

    @Test
    void noPackageIsSplitAcrossModules() {
        Map<String, String> split = new TreeMap<>();
        moduleOfPackage.forEach(
                (p, modules) -> {
                    if (modules.contains(",")) {
                        split.put(p, modules);
                    }
                });
        assertThat(split).as("packages whose main code lives in more than one module").isEmpty();
    }

    @Test
    void everyPublishedModuleIsOnTheClasspathTheRulesSee() {
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            seen.add(moduleOfPackage.getOrDefault(c.getPackageName(), "?"));
        }
        assertThat(seen)
                .as("modules whose main classes the rules see (see build-checks/pom.xml)")
                .containsAll(BomCheck.publishedModules(Reactor.root()).values());
    }

    /** One rule per module that has internal packages. */
    @TestFactory
    Stream<DynamicTest> noOtherModuleTouchesAModulesInternals() {
        Map<String, Set<String>> packagesOf = new LinkedHashMap<>();
        moduleOfPackage.forEach(
                (p, m) -> packagesOf.computeIfAbsent(m, k -> new TreeSet<>()).add(p));
        List<DynamicTest> tests = new ArrayList<>();
        packagesOf.forEach(
                (module, packages) -> {
                    Set<String> internal = new TreeSet<>();
                    for (String p : packages) {
                        if (isInternal(p)) {
                            internal.add(p);
                        }
                    }
                    if (!internal.isEmpty()) {
                        tests.add(
                                DynamicTest.dynamicTest(
                                        module,
                                        () -> internalsOf(packages, internal).check(classes)));
                    }
                });
        assertThat(tests).as("modules with internal packages").isNotEmpty();
        return tests.stream();
    }

    @Test
    void theAllowListOnlyShrinks() {
        for (DynamicTest t : noOtherModuleTouchesAModulesInternals().toList()) {
            try {
                t.getExecutable().execute();
            } catch (Throwable e) {
                // A new crossing is reported by the rule's own test; here only stale entries.
            }
        }
        assertThat(crossingsSeen)
                .as(
                        "KNOWN_CROSSINGS entries that still happen; remove the others from the"
                                + " list")
                .containsAll(KNOWN_CROSSINGS);
    }

    @Test
    void aCrossingIsReportedWithBothClasses() {
        JavaClasses sample =
                new ClassFileImporter()
                        .importClasses(Outside.class, io.tickmux.buildchecks.internal.Hidden.class);
        ArchRule rule =
                internalsOf(
                        Set.of("io.tickmux.buildchecks.internal"),
                        Set.of("io.tickmux.buildchecks.internal"));

        assertThat(rule.evaluate(sample).getFailureReport().getDetails())
                .anySatisfy(
                        d ->
                                assertThat(d)
                                        .contains(Outside.class.getName())
                                        .contains("io.tickmux.buildchecks.internal.Hidden"));
    }

    /** A class of this test that touches the sample internal package. */
    static final class Outside {
        Object make() {
            return new io.tickmux.buildchecks.internal.Hidden();
        }
    }

    static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    /**
     * The rule for one module: a class outside its packages depends on nothing in its internal
     * packages, but for the {@link #KNOWN_CROSSINGS}.
     */
    static ArchRule internalsOf(Set<String> modulePackages, Set<String> internalPackages) {
        return classes()
                .that()
                .resideOutsideOfPackages(modulePackages.toArray(String[]::new))
                .should(notTouch(internalPackages))
                .allowEmptyShould(true);
    }

    private static ArchCondition<JavaClass> notTouch(Set<String> internalPackages) {
        return new ArchCondition<>("not touch the internal packages " + internalPackages) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    if (!internalPackages.contains(target.getPackageName())) {
                        continue;
                    }
                    String crossing = topLevel(d.getOriginClass()) + " -> " + topLevel(target);
                    if (KNOWN_CROSSINGS.contains(crossing)) {
                        crossingsSeen.add(crossing);
                        continue;
                    }
                    events.add(
                            SimpleConditionEvent.violated(
                                    d,
                                    d.getDescription()
                                            + ": use an API package, or move the code (issue 20)"));
                }
            }
        };
    }

    private static String topLevel(JavaClass c) {
        String name = c.getName();
        int inner = name.indexOf('$');
        return inner < 0 ? name : name.substring(0, inner);
    }
}
