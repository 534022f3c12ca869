package io.tickmux.health.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what, decided on plain request values: the bearer token rules the {@link Guard}
 * applies (its first and last checks).
 *
 * <ul>
 *   <li>without a token, only requests that arrived on a loopback address (403);
 *   <li>a POST needs {@code Authorization: Bearer <token>} when a token is set (401); without one
 *       it must be a request a web page cannot send without the server's consent: {@code
 *       Content-Type: application/json} or an {@code X-Requested-With} header (403), so neither an
 *       HTML form nor a no-cors {@code fetch} can trigger it;
 *   <li>with {@code protect-reads}, every other method needs the token (401), except {@link
 *       #OPEN_READS}.
 * </ul>
 *
 * The token is compared in constant time and never echoed.
 */
final class Access {

    /** What {@code protect-reads} leaves open: probes, and the dashboard page without data. */
    static final Set<String> OPEN_READS =
            Set.of("/", "/dashboard.js", "/dashboard.css", "/health/live", "/health/ready");

    /**
     * A request refused: 401 asks for the bearer token ({@code WWW-Authenticate: Bearer}), 403
     * refuses it whatever the caller sends.
     *
     * @param status the HTTP status
     * @param message what to do about it, for the JSON error
     */
    record Refusal(int status, String message) {

        /**
         * @return whether the answer asks for the bearer token
         */
        boolean challenge() {
            return status == 401;
        }
    }

    private final boolean protectReads;

    /** {@code Bearer <token>} in UTF-8; null without a token. */
    private final byte[] expected;

    Access(HttpSettings settings) {
        this.protectReads = settings.protectReads();
        this.expected =
                settings.token().isEmpty()
                        ? null
                        : ("Bearer " + settings.token().reveal()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param onLoopback whether the request arrived on a loopback address
     * @return the refusal of a request from another address without a token; empty when it may go
     *     on
     */
    Optional<Refusal> reach(boolean onLoopback) {
        if (expected == null && !onLoopback) {
            return Optional.of(
                    new Refusal(
                            403,
                            "this server has no tickmux.http.token, so it serves loopback only: set"
                                    + " a token to serve other addresses"));
        }
        return Optional.empty();
    }

    /**
     * @param method the request's method
     * @param path the request's path, without the query
     * @param authorization its {@code Authorization} header, or null
     * @param contentType its {@code Content-Type}, or null
     * @param requestedWith its {@code X-Requested-With} header, or null
     * @return why the request may not call this endpoint; empty when it may
     */
    Optional<Refusal> check(
            String method,
            String path,
            String authorization,
            String contentType,
            String requestedWith) {
        if (method.equals("POST")) {
            if (expected != null) {
                return bearer(authorization)
                        ? Optional.empty()
                        : unauthorized(
                                "POST needs the header 'Authorization: Bearer"
                                        + " <tickmux.http.token>'");
            }
            return nonSimple(contentType, requestedWith)
                    ? Optional.empty()
                    : Optional.of(
                            new Refusal(
                                    403,
                                    "POST needs 'Content-Type: application/json' or an"
                                            + " 'X-Requested-With' header (a web page on another"
                                            + " site can send neither), or set tickmux.http.token"
                                            + " and send it as a bearer token"));
        }
        if (protectReads && !OPEN_READS.contains(path) && !bearer(authorization)) {
            return unauthorized(
                    "reads need the header 'Authorization: Bearer <tickmux.http.token>'"
                            + " (tickmux.http.protect-reads = true)");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> unauthorized(String message) {
        return Optional.of(new Refusal(401, message));
    }

    private boolean bearer(String authorization) {
        return expected != null
                && authorization != null
                && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expected);
    }

    /**
     * A request a browser sends cross-site only after a CORS preflight this server never grants.
     */
    private static boolean nonSimple(String contentType, String requestedWith) {
        if (contentType != null
                && contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
            return true;
        }
        return requestedWith != null && !requestedWith.isBlank();
    }
}
