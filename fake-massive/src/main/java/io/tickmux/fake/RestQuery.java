package io.tickmux.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request to {@code /v3/trades/{ticker}} or {@code /v3/quotes/{ticker}}: the time window in
 * nanoseconds (inclusive), the order, the page limit and, for a follow-up page, where the previous
 * page ended. A cursor carries all of it, as Massive's {@code next_url} does, so a client changes
 * nothing but adds its key.
 *
 * @param kind {@code T} or {@code Q}
 * @param ticker the ticker
 * @param gte lowest SIP time, inclusive
 * @param lte highest SIP time, inclusive
 * @param ascending {@code order=asc}; Massive's default is newest first
 * @param limit rows per page as asked
 * @param afterNanos the sort key of the previous page's last row; {@code Long.MIN_VALUE} on a first
 *     page
 * @param afterOrdinal its tie-breaker
 */
record RestQuery(
        String kind,
        String ticker,
        long gte,
        long lte,
        boolean ascending,
        int limit,
        long afterNanos,
        long afterOrdinal) {

    /** Massive's largest page. */
    static final int MAX_LIMIT = 50_000;

    /** Massive's page size when no limit is given. */
    static final int DEFAULT_LIMIT = 1_000;

    /** Whether this is a follow-up page. */
    boolean continued() {
        return afterNanos != Long.MIN_VALUE;
    }

    /** This query continued after a row. */
    RestQuery after(long nanos, long ordinal) {
        return new RestQuery(kind, ticker, gte, lte, ascending, limit, nanos, ordinal);
    }

    /** The opaque cursor of this query. */
    String cursor() {
        String raw =
                String.join(
                        "|",
                        kind,
                        ticker,
                        Long.toString(gte),
                        Long.toString(lte),
                        ascending ? "asc" : "desc",
                        Integer.toString(limit),
                        Long.toString(afterNanos),
                        Long.toString(afterOrdinal));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a request.
     *
     * @param kind {@code T} or {@code Q}, from the path
     * @param ticker the ticker, from the path
     * @param params the decoded query parameters
     * @return the query
     * @throws IllegalArgumentException naming the bad parameter, answered 400
     */
    static RestQuery parse(String kind, String ticker, Map<String, String> params) {
        String cursor = params.get("cursor");
        if (cursor != null) {
            return fromCursor(cursor);
        }
        long gte = Long.MIN_VALUE;
        long lte = Long.MAX_VALUE;
        for (Map.Entry<String, String> p : params.entrySet()) {
            switch (p.getKey()) {
                case "timestamp" -> {
                    long t = nanos(p);
                    gte = Math.max(gte, t);
                    lte = Math.min(lte, t);
                }
                case "timestamp.gte" -> gte = Math.max(gte, nanos(p));
                case "timestamp.gt" -> gte = Math.max(gte, nanos(p) + 1);
                case "timestamp.lte" -> lte = Math.min(lte, nanos(p));
                case "timestamp.lt" -> lte = Math.min(lte, nanos(p) - 1);
                case "order", "limit", "sort", "apiKey" -> {}
                default ->
                        throw new IllegalArgumentException(
                                "unknown parameter '"
                                        + p.getKey()
                                        + "': use timestamp[.gte|.gt|.lte|.lt], order, limit,"
                                        + " sort or cursor");
            }
        }
        String order = params.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new IllegalArgumentException("order must be asc or desc, not '" + order + "'");
        }
        String sort = params.getOrDefault("sort", "timestamp");
        if (!sort.equals("timestamp")) {
            throw new IllegalArgumentException("sort must be timestamp, not '" + sort + "'");
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number, not '" + l + "'");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException(
                        "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
        }
        return new RestQuery(kind, ticker, gte, lte, order.equals("asc"), limit, Long.MIN_VALUE, 0);
    }

    private static RestQuery fromCursor(String cursor) {
        String[] f;
        try {
            f =
                    new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                            .split("\\|", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException("wrong field count");
            }
            return new RestQuery(
                    f[0],
                    f[1],
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    f[4].equals("asc"),
                    Integer.parseInt(f[5]),
                    Long.parseLong(f[6]),
                    Long.parseLong(f[7]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this server issued");
        }
    }

    private static long nanos(Map.Entry<String, String> p) {
        try {
            return Long.parseLong(p.getValue());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    p.getKey() + " must be a Unix time in nanoseconds, not '" + p.getValue() + "'");
        }
    }

    /**
     * Decodes a raw query string.
     *
     * @param raw the raw query, or {@code null}
     * @return name to value, in order
     */
    static Map<String, String> params(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(
                    URLDecoder.decode(k, StandardCharsets.UTF_8),
                    URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }
}
