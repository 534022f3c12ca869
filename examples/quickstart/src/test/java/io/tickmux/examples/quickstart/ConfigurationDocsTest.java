package io.tickmux.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.app.AppSettings;
import io.tickmux.core.Catalogue;
import io.tickmux.core.CoreSettings;
import io.tickmux.health.http.HttpSettings;
import io.tickmux.transport.massive.MassiveSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md and docs/routers.md in step with every module's reference.conf, and
 * proves every reference.conf key is read: each settings reader fails on a key it does not read.
 */
class ConfigurationDocsTest {

    private static final Set<String> MAPS =
            Set.of("tiers", "sectors", "tickers", "assignments", "hocon");

    private static String docs() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/ above " + Path.of("").toAbsolutePath()).isNotNull();
        return Files.readString(dir.resolve("docs/configuration.md"))
                + Files.readString(dir.resolve("docs/routers.md"));
    }

    @Test
    void everyReferenceKeyIsDocumented() throws Exception {
        String docs = docs();
        Config ref = ConfigFactory.defaultReference();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e :
                ref.getConfig("tickmux").entrySet()) {
            String[] parts = e.getKey().split("\\.");
            List<String> kept = new ArrayList<>();
            for (String part : parts) {
                kept.add(part.matches("\"?\\d+\"?") ? "<n>" : part.replace("\"", ""));
                if (MAPS.contains(part)) {
                    break;
                }
            }
            String full = "tickmux." + String.join(".", kept);
            String relative = relative(kept);
            if (!docs.contains(full)
                    && !docs.contains("`" + relative + "`")
                    && !docs.contains("`" + kept.get(kept.size() - 1) + "`")) {
                missing.add(full);
            }
        }
        assertThat(missing)
                .as("keys of reference.conf missing from docs/configuration.md")
                .isEmpty();
    }

    private static String relative(List<String> kept) {
        int skip =
                switch (kept.get(0)) {
                    case "transport", "routing", "backfill" -> 2;
                    default -> 1;
                };
        return String.join(".", kept.subList(Math.min(skip, kept.size() - 1), kept.size()));
    }

    @Test
    void everyReferenceKeyIsReadByItsModule() {
        Config ref = ConfigFactory.load();
        CoreSettings.from(ref);
        AppSettings.from(ref);
        MassiveSettings.from(ref);
        HttpSettings.from(ref);
        Catalogue c = Catalogue.load();
        assertThat(c.routerNames())
                .containsExactly("load-balanced", "manual", "priority", "round-robin", "sector");
        for (String name : c.routerNames()) {
            assertThat(c.router(name).create(Catalogue.routerSettings(ref, name), null))
                    .as(name)
                    .isNotNull();
        }
    }
}
