package io.tickmux.backfill.rest;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.event.EventKind;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The REST backfill's settings, {@code tickmux.backfill.rest}; every key is documented in this
 * module's {@code reference.conf}.
 *
 * @param url the REST API's base URL, e.g. {@code https://api.massive.com}
 * @param apiKey the key; never printed
 * @param auth how the key is sent
 * @param channels {@link EventKind#TRADE} and/or {@link EventKind#QUOTE}
 * @param pageLimit rows asked per request, 1..50,000
 * @param delay how long after a gap closed its fetch starts
 * @param requestTimeout most time for one request
 * @param requestsPerMinute requests per minute across all gaps
 * @param maxPagesPerGap most pages for one gap
 * @param maxGapAge a gap whose end is older than this is left unfilled
 * @param maxGapSpan a longer gap is left unfilled
 * @param maxAttempts attempts per request for 429, 5xx and I/O errors
 * @param initialBackoff backoff before the second attempt
 * @param maxBackoff the longest backoff; a longer Retry-After ends the gap
 */
public record RestBackfillSettings(
        URI url,
        Secret apiKey,
        Auth auth,
        Set<EventKind> channels,
        int pageLimit,
        Duration delay,
        Duration requestTimeout,
        int requestsPerMinute,
        int maxPagesPerGap,
        Duration maxGapAge,
        Duration maxGapSpan,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff) {

    /** Where these settings sit in the whole configuration. */
    public static final String PATH = "tickmux.backfill.rest";

    /** How the API key is sent. */
    public enum Auth {
        /** {@code Authorization: Bearer <key>}: the key is never part of a URL. */
        HEADER,
        /** An {@code apiKey} query parameter on every request. */
        QUERY
    }

    public RestBackfillSettings {
        requireNonNull(url, "url is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(auth, "auth is null");
        channels = Set.copyOf(channels);
        requireNonNull(delay, "delay is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(maxGapAge, "maxGapAge is null");
        requireNonNull(maxGapSpan, "maxGapSpan is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
    }

    /**
     * The defaults of {@code reference.conf}, with environment overrides.
     *
     * @return the settings
     */
    public static RestBackfillSettings defaults() {
        return from(ConfigFactory.empty());
    }

    /**
     * Reads the settings strictly: unknown keys, wrong types and bad values are listed together.
     * Keys missing from {@code settings} come from this module's {@code reference.conf}.
     *
     * @param settings the subtree {@code tickmux.backfill.rest} (what the factory is given)
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static RestBackfillSettings from(Config settings) {
        Config defaults = ConfigFactory.defaultReference().getConfig(PATH);
        SettingsReader r = new SettingsReader(settings.withFallback(defaults).atPath(PATH), PATH);
        String rawUrl = r.string("url");
        String key = r.string("api-key");
        Auth auth = r.enumValue("auth", Auth.class);
        boolean cleartext = r.bool("allow-cleartext");
        Set<EventKind> channels = EnumSet.noneOf(EventKind.class);
        for (String c : r.stringList("channels")) {
            switch (c.trim().toUpperCase(Locale.ROOT)) {
                case "T" -> channels.add(EventKind.TRADE);
                case "Q" -> channels.add(EventKind.QUOTE);
                default ->
                        r.problem(
                                "channels",
                                "has '"
                                        + c
                                        + "': the REST API replays T (trades) and Q (quotes)"
                                        + " only");
            }
        }
        int pageLimit = r.intIn("page-limit", 1, 50_000);
        Duration delay = r.duration("delay", Duration.ZERO);
        Duration requestTimeout = r.duration("request-timeout", Duration.ofMillis(100));
        int rpm = r.intIn("budget.requests-per-minute", 1, 1_000_000);
        int pages = r.intIn("budget.max-pages-per-gap", 1, 100_000);
        Duration age = r.duration("budget.max-gap-age", Duration.ofSeconds(1));
        Duration span = r.duration("budget.max-gap-span", Duration.ofMillis(1));
        int attempts = r.intIn("retry.max-attempts", 1, 20);
        Duration initial = r.duration("retry.initial-backoff", Duration.ofMillis(1));
        Duration max = r.duration("retry.max-backoff", Duration.ofMillis(1));
        if (channels.isEmpty() && r.problems().stream().noneMatch(p -> p.contains(".channels"))) {
            r.problem("channels", "is empty: list T, Q or both");
        }
        if (initial.compareTo(max) > 0) {
            r.problem(
                    "retry.initial-backoff",
                    "(" + initial + ") is longer than retry.max-backoff (" + max + ")");
        }
        URI url = null;
        try {
            url =
                    URI.create(
                            rawUrl.endsWith("/")
                                    ? rawUrl.substring(0, rawUrl.length() - 1)
                                    : rawUrl);
            String scheme = url.getScheme() == null ? "" : url.getScheme();
            if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
                r.problem(
                        "url",
                        "= '" + rawUrl + "' is not an http(s) URL, e.g. https://api.massive.com");
            } else if (scheme.equals("http") && !cleartext && !loopback(url.getHost())) {
                r.problem(
                        "url",
                        "= '"
                                + rawUrl
                                + "' would send the API key unencrypted: use https://, or set"
                                + " allow-cleartext = true");
            } else if (url.getRawPath() != null && !url.getRawPath().isEmpty()) {
                r.problem("url", "= '" + rawUrl + "' has a path: give the base URL only");
            }
        } catch (IllegalArgumentException e) {
            r.problem("url", "= '" + rawUrl + "' is not a URL: " + e.getMessage());
        }
        if (key.isBlank()) {
            r.problem(
                    "api-key",
                    "is empty: set MASSIVE_API_KEY (the REST API needs a key with trades and"
                            + " quotes in its plan)");
        }
        r.finish();
        return new RestBackfillSettings(
                url,
                Secret.of(key),
                auth,
                channels,
                pageLimit,
                delay,
                requestTimeout,
                rpm,
                pages,
                age,
                span,
                attempts,
                initial,
                max);
    }

    private static boolean loopback(String host) {
        return host.equals("localhost")
                || host.equals("127.0.0.1")
                || host.equals("::1")
                || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return "RestBackfillSettings[url="
                + url
                + ", auth="
                + auth
                + ", channels="
                + channels
                + ", page-limit="
                + pageLimit
                + ", requests-per-minute="
                + requestsPerMinute
                + ", max-pages-per-gap="
                + maxPagesPerGap
                + "]";
    }
}
