package io.tickmux.spi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets for logs: configuration for the start-up log, URLs and free text anywhere. What
 * counts as a secret:
 *
 * <ul>
 *   <li>the value of any key whose name looks secret: a word such as {@code password}, {@code pwd},
 *       {@code secret}, {@code token}, {@code credentials}, {@code apikey}, or a last word {@code
 *       key}/{@code keys} ({@code api-key}, {@code apiKey}, {@code access_key}), at any level of
 *       the path, except names that are not secrets ({@code universe-key});
 *   <li>credentials inside URLs, in any value: the password of {@code wss://user:pw@host} (a user
 *       with no password, often a token, is masked whole), query and JDBC parameters with a
 *       secret-looking name ({@code ?password=}, {@code &token=}, {@code ?apiKey=}, {@code
 *       ;password=}), and Oracle's {@code jdbc:oracle:thin:user/pw@host}.
 * </ul>
 */
public final class MaskedConfig {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final Set<String> SECRET_WORDS =
            Set.of(
                    "password",
                    "passwd",
                    "pwd",
                    "pass",
                    "passphrase",
                    "secret",
                    "secrets",
                    "token",
                    "tokens",
                    "credential",
                    "credentials",
                    "apikey",
                    "apikeys",
                    "authorization",
                    "bearer",
                    "cookie",
                    "signature",
                    "sig",
                    "privatekey");

    /** Words before {@code key} that make a name that is not a secret. */
    private static final Set<String> PLAIN_KEYS =
            Set.of(
                    "universe",
                    "sort",
                    "partition",
                    "routing",
                    "cache",
                    "primary",
                    "foreign",
                    "lookup",
                    "group",
                    "hash",
                    "shard",
                    "idempotency",
                    "public");

    private static final Pattern USERINFO =
            Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)([^/?#\\s\"'<>]*)@");
    private static final Pattern ORACLE =
            Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:)([^/@\\s:\"']+)/([^@\\s\"']+)@");
    private static final Pattern PARAM =
            Pattern.compile("([?&;]\\s*)([A-Za-z0-9_.\\-]+)(\\s*=\\s*)([^&;#\\s\"'<>]*)");

    private MaskedConfig() {}

    /**
     * Renders {@code tickmux} as compact HOCON with every secret masked (see the class comment).
     * Empty values stay visible, so an unset key can be told from a set one.
     *
     * @param root the whole configuration
     * @return the rendering
     */
    public static String render(Config root) {
        if (!root.hasPath("tickmux")) {
            return "{}";
        }
        Config c = root.getConfig("tickmux");
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            ConfigValue v = e.getValue();
            ConfigValue masked = mask(secretPath(e.getKey()), v);
            if (masked != v) {
                c = c.withValue(e.getKey(), masked);
            }
        }
        return c.root().render(ConfigRenderOptions.concise().setFormatted(false));
    }

    private static boolean secretPath(String path) {
        for (String segment : ConfigUtil.splitPath(path)) {
            if (isSecretName(segment)) {
                return true;
            }
        }
        return false;
    }

    /** The masked value, or {@code v} itself when nothing is masked. */
    private static ConfigValue mask(boolean secret, ConfigValue v) {
        Object raw = v.unwrapped();
        boolean empty =
                raw == null
                        || raw instanceof String s && s.isEmpty()
                        || raw instanceof List<?> l && l.isEmpty();
        if (secret && !empty) {
            return ConfigValueFactory.fromAnyRef(MASK);
        }
        if (v.valueType() == ConfigValueType.STRING) {
            String s = (String) raw;
            String m = maskUrls(s);
            return m.equals(s) ? v : ConfigValueFactory.fromAnyRef(m);
        }
        if (v.valueType() == ConfigValueType.LIST) {
            List<Object> out = new ArrayList<>();
            boolean changed = false;
            for (Object o : (List<?>) raw) {
                if (o instanceof String s) {
                    String m = maskUrls(s);
                    changed |= !m.equals(s);
                    out.add(m);
                } else {
                    out.add(o);
                }
            }
            return changed ? ConfigValueFactory.fromIterable(out) : v;
        }
        return v;
    }

    /**
     * Whether a key or parameter name looks like it holds a secret: {@code password}, {@code
     * apiKey}, {@code api-key}, {@code access_token}, {@code client-secret}, {@code pwd}, ... but
     * not {@code universe-key}.
     *
     * @param name one name (not a dotted path)
     * @return whether its value should be masked
     */
    public static boolean isSecretName(String name) {
        String[] words = name.replace("\"", "").split("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");
        List<String> w = new ArrayList<>();
        for (String word : words) {
            if (!word.isEmpty()) {
                w.add(word.toLowerCase(Locale.ROOT));
            }
        }
        if (w.isEmpty()) {
            return false;
        }
        for (String word : w) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        String last = w.get(w.size() - 1);
        if (last.equals("key") || last.equals("keys")) {
            return w.size() == 1 || !PLAIN_KEYS.contains(w.get(w.size() - 2));
        }
        return false;
    }

    /**
     * Masks credentials in every URL of a text: {@code wss://user:pw@host} becomes {@code
     * wss://user:****@host}, {@code https://TOKEN@host} becomes {@code https://****@host}, {@code
     * ?password=x&apiKey=y} becomes {@code ?password=****&apiKey=****}, {@code
     * jdbc:sqlserver://h;password=x} and {@code jdbc:oracle:thin:u/pw@h} likewise. Parameters whose
     * name is not secret are kept.
     *
     * @param text any text; {@code null} gives {@code null}
     * @return the text with those credentials masked
     */
    public static String maskUrls(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = replace(ORACLE, text, m -> m.group(1) + m.group(2) + "/" + MASK + "@");
        s =
                replace(
                        USERINFO,
                        s,
                        m -> {
                            String info = m.group(2);
                            if (info.isEmpty() || info.equals(MASK)) {
                                return m.group();
                            }
                            int colon = info.indexOf(':');
                            return m.group(1)
                                    + (colon >= 0 ? info.substring(0, colon) + ":" : "")
                                    + MASK
                                    + "@";
                        });
        return replace(
                PARAM,
                s,
                m ->
                        isSecretName(m.group(2)) && !m.group(4).isEmpty()
                                ? m.group(1) + m.group(2) + m.group(3) + MASK
                                : m.group());
    }

    private static String replace(Pattern p, String text, Function<Matcher, String> with) {
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            any = true;
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        if (!any) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }
}
