package io.tickmux.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an application's configuration in layers, the environment on top:
 *
 * <ol>
 *   <li>the environment: the process environment, over a {@code .env} file in the working directory
 *       (or the file {@code TICKMUX_ENV_FILE} names), read with dotenv-java. Every variable a
 *       module's {@code reference.conf} names with {@code ${?VAR}} (found by resolving the
 *       reference files, so a module's new variable needs no code here), and {@code
 *       WEBSOCKET_CONNECTION_<n>_<KEY>} for any connection number, is set at its path with the
 *       origin "environment variable VAR", so a problem names the variable;
 *   <li>the application's own configuration ({@code application.conf});
 *   <li>every module's {@code reference.conf}.
 * </ol>
 *
 * <p>So an original {@code .env} works whatever {@code application.conf} says, and a variable whose
 * name is not a valid configuration path ({@code a@b}) is simply not one of ours.
 */
public final class TickmuxConfig {

    private static final Logger LOG = LoggerFactory.getLogger(TickmuxConfig.class);

    /** Names the file to read instead of {@code ./.env}. */
    public static final String ENV_FILE_VARIABLE = "TICKMUX_ENV_FILE";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CONNECTION_VARIABLE =
            Pattern.compile(
                    "WEBSOCKET_CONNECTION_([1-9][0-9]{0,3})_(ENABLED|NAME|UNIVERSE_KEY|SYMBOLS|API_KEY|URL|CHANNELS|CAPACITY|TAGS)");
    private static final String MARK = "\u0000tickmux-env:";

    private TickmuxConfig() {}

    /**
     * The configuration of the process: {@code .env} and the environment over {@code
     * application.conf} (and system properties) over the reference files.
     *
     * @return the resolved configuration
     */
    public static Config load() {
        return load(
                ConfigFactory.defaultOverrides().withFallback(ConfigFactory.defaultApplication()),
                environment(System.getenv()));
    }

    /**
     * The environment tickmux reads: the {@code .env} file's variables under the process
     * environment's (the process wins).
     *
     * @param process the process environment
     * @return the merged variables
     */
    public static Map<String, String> environment(Map<String, String> process) {
        Map<String, String> env = new LinkedHashMap<>(dotenv(process));
        env.putAll(process);
        return env;
    }

    /**
     * Layers an environment over an application's configuration and the reference files.
     *
     * @param application the application's own configuration (may be empty)
     * @param environment variables such as {@code USE_MULTI_CONNECTION}
     * @return the resolved configuration
     */
    public static Config load(Config application, Map<String, String> environment) {
        Map<String, String> env = new TreeMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (NAME.matcher(e.getKey()).matches() && e.getValue() != null) {
                env.put(e.getKey(), e.getValue());
            }
        }
        Config reference = ConfigFactory.defaultReferenceUnresolved();
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, String> v : variables(reference).entrySet()) {
            String value = env.get(v.getKey());
            if (value != null) {
                layer = layer.withValue(v.getValue(), value(value, v.getKey()));
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            Matcher m = CONNECTION_VARIABLE.matcher(e.getKey());
            if (m.matches()) {
                String key = m.group(2).toLowerCase(Locale.ROOT).replace('_', '-');
                layer =
                        layer.withValue(
                                "tickmux.app.connections." + m.group(1) + "." + key,
                                value(e.getValue(), e.getKey()));
            }
        }
        return layer.withFallback(application)
                .withFallback(reference)
                .resolve(ConfigResolveOptions.noSystem().appendResolver(new EnvResolver(env)));
    }

    /**
     * Every environment variable the reference files name with {@code ${?VAR}}, and the path it
     * sets.
     *
     * @param reference the unresolved reference configuration
     * @return variable name to configuration path
     */
    static Map<String, String> variables(Config reference) {
        Config marked =
                reference.resolve(
                        ConfigResolveOptions.noSystem().appendResolver(new EnvResolver(null)));
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : marked.entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof String s && s.startsWith(MARK)) {
                out.put(s.substring(MARK.length()), e.getKey());
            }
        }
        return out;
    }

    private static ConfigValue value(String value, String variable) {
        return ConfigValueFactory.fromAnyRef(value, "environment variable " + variable);
    }

    /** The {@code .env} file's variables, or none when there is no file. */
    static Map<String, String> dotenv(Map<String, String> processEnv) {
        String named = processEnv.get(ENV_FILE_VARIABLE);
        Path file = named != null && !named.isBlank() ? Path.of(named) : Path.of(".env");
        if (!Files.isRegularFile(file)) {
            if (named != null && !named.isBlank()) {
                throw new IllegalArgumentException(
                        ENV_FILE_VARIABLE
                                + " names "
                                + file.toAbsolutePath()
                                + ", which is not a readable file: fix the path or unset it");
            }
            return Map.of();
        }
        Path dir = file.toAbsolutePath().getParent();
        Dotenv d =
                Dotenv.configure()
                        .directory(dir.toString())
                        .filename(file.getFileName().toString())
                        .ignoreIfMalformed()
                        .load();
        Map<String, String> out = new LinkedHashMap<>();
        for (DotenvEntry e : d.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
            out.put(e.getKey(), e.getValue());
        }
        LOG.info("read {} variables from {}", out.size(), file.toAbsolutePath());
        return out;
    }

    /**
     * Resolves {@code ${?VAR}}: from the given environment, or, with none, to a marker naming the
     * variable (to find which path each variable sets).
     */
    private static final class EnvResolver implements ConfigResolver {
        private final Map<String, String> env;

        EnvResolver(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public ConfigValue lookup(String path) {
            if (!NAME.matcher(path).matches()) {
                return null;
            }
            if (env == null) {
                return ConfigValueFactory.fromAnyRef(MARK + path);
            }
            String v = env.get(path);
            return v == null ? null : value(v, path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver fallback) {
            return this;
        }
    }
}
