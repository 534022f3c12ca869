package io.tickmux.backfill.rest.internal;

import io.tickmux.backfill.rest.RestBackfillSettings;
import io.tickmux.spi.event.EventKind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One page at a time from the REST API, through the request budget: a 429 or a 5xx or an I/O error
 * is retried with exponential backoff (a 429's Retry-After honoured and passed on to the budget, so
 * every later request waits too), up to {@code retry.max-attempts}; anything else ends the gap with
 * a reason. The key goes in a header or an {@code apiKey} parameter and never into a log line or a
 * reason ({@link Redact}).
 */
final class RestClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestClient.class);

    /** What a fetch came to. */
    sealed interface Result {}

    /** A page of rows. */
    record Got(PageParser.Page page) implements Result {}

    /**
     * The gap cannot go on.
     *
     * @param reason why, for the person on call; carries no key
     */
    record Failed(String reason) implements Result {}

    private final RestBackfillSettings s;
    private final HttpClient http;
    private final RequestBudget budget;
    private final RequestBudget.Sleeper sleeper;
    private final DoubleSupplier random;
    private final String key;

    RestClient(
            RestBackfillSettings s,
            HttpClient http,
            RequestBudget budget,
            RequestBudget.Sleeper sleeper,
            DoubleSupplier random) {
        this.s = s;
        this.http = http;
        this.budget = budget;
        this.sleeper = sleeper;
        this.random = random;
        this.key = s.apiKey().reveal();
    }

    /** The first page's URL for a ticker's trades or quotes in [fromNanos, toNanos]. */
    String firstUrl(EventKind kind, String symbol, long fromNanos, long toNanos) {
        return s.url()
                + (kind == EventKind.TRADE ? "/v3/trades/" : "/v3/quotes/")
                + URLEncoder.encode(symbol, StandardCharsets.UTF_8)
                + "?timestamp.gte="
                + fromNanos
                + "&timestamp.lte="
                + toNanos
                + "&order=asc&sort=timestamp&limit="
                + s.pageLimit();
    }

    /**
     * Fetches one page.
     *
     * @param url the first page's URL or a {@code next_url}, without a key
     * @param kind what the endpoint returns
     * @param symbol the ticker
     * @return the page, or why the gap cannot go on
     * @throws InterruptedException when the backfill is stopped
     */
    Result get(String url, EventKind kind, String symbol) throws InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new Failed("a next_url that is not a URL: " + Redact.url(url));
        }
        if (!sameOrigin(uri)) {
            return new Failed(
                    "a next_url on another host ("
                            + Redact.url(url)
                            + "): not followed, so the key is not sent there");
        }
        String last = "";
        for (int attempt = 1; attempt <= s.maxAttempts(); attempt++) {
            budget.acquire();
            HttpResponse<byte[]> r;
            try {
                r = http.send(request(url), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = "I/O error (" + e.getClass().getSimpleName() + ")";
                LOG.debug("{} on {}, attempt {}", last, Redact.url(url), attempt);
                backoff(attempt, 0);
                continue;
            }
            int code = r.statusCode();
            if (code == 200) {
                try {
                    return new Got(PageParser.parse(r.body(), kind, symbol));
                } catch (IOException | RuntimeException e) {
                    return new Failed(
                            "a malformed answer from "
                                    + Redact.url(url)
                                    + ": "
                                    + Redact.text(String.valueOf(e.getMessage()), key));
                }
            }
            if (code == 429) {
                long retryAfter = retryAfterNanos(r);
                last = "rate limited (429)";
                if (retryAfter > s.maxBackoff().toNanos()) {
                    budget.pause(retryAfter);
                    return new Failed(
                            "rate limited (429) with Retry-After "
                                    + Duration.ofNanos(retryAfter).toSeconds()
                                    + "s, longer than retry.max-backoff "
                                    + s.maxBackoff());
                }
                if (retryAfter > 0) {
                    budget.pause(retryAfter);
                }
                LOG.debug("429 on {}, attempt {}", Redact.url(url), attempt);
                backoff(attempt, retryAfter);
                continue;
            }
            if (code >= 500) {
                last = "server error (" + code + ")";
                LOG.debug("{} on {}, attempt {}", last, Redact.url(url), attempt);
                backoff(attempt, 0);
                continue;
            }
            String error = Redact.text(errorText(r.body()), key);
            if (code == 401 || code == 403) {
                return new Failed(
                        "refused ("
                                + code
                                + "): "
                                + error
                                + "; check tickmux.backfill.rest.api-key and that the plan"
                                + " includes "
                                + (kind == EventKind.TRADE ? "trades" : "quotes"));
            }
            return new Failed("refused (" + code + ") on " + Redact.url(url) + ": " + error);
        }
        return new Failed("gave up after " + s.maxAttempts() + " attempts, the last " + last);
    }

    private HttpRequest request(String url) {
        String u = url;
        HttpRequest.Builder b =
                HttpRequest.newBuilder()
                        .timeout(s.requestTimeout())
                        .header("Accept", "application/json");
        if (s.auth() == RestBackfillSettings.Auth.QUERY) {
            u =
                    url
                            + (url.contains("?") ? "&" : "?")
                            + "apiKey="
                            + URLEncoder.encode(key, StandardCharsets.UTF_8);
        } else {
            b.header("Authorization", "Bearer " + key);
        }
        return b.uri(URI.create(u)).GET().build();
    }

    private boolean sameOrigin(URI uri) {
        return s.url().getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && s.url().getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && port(s.url()) == port(uri);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private void backoff(int attempt, long retryAfterNanos) throws InterruptedException {
        if (attempt >= s.maxAttempts()) {
            return; // no attempt follows
        }
        long base = s.initialBackoff().toNanos();
        long b = base;
        for (int i = 1; i < attempt && b < s.maxBackoff().toNanos(); i++) {
            b *= 2;
        }
        b = Math.min(b, s.maxBackoff().toNanos());
        b = (long) (b * (1 + 0.2 * random.getAsDouble()));
        sleeper.sleep(Math.max(b, retryAfterNanos));
    }

    /** Retry-After in seconds (an HTTP date is not honoured: the backoff applies). */
    private static long retryAfterNanos(HttpResponse<?> r) {
        String v = r.headers().firstValue("Retry-After").orElse("").trim();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v)) * 1_000_000_000L;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String errorText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int i = text.indexOf("\"error\"");
        if (i >= 0) {
            int start = text.indexOf('"', text.indexOf(':', i) + 1);
            int end = start < 0 ? -1 : text.indexOf('"', start + 1);
            if (start >= 0 && end > start) {
                return text.substring(start + 1, end);
            }
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
