package io.tickmux.health.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The health server's door, in front of every endpoint (a servlet filter on {@code /*}, so it holds
 * whatever serves the path). In order, each refusal a JSON error:
 *
 * <ol>
 *   <li>the security headers on every response ({@link JsonErrors#SECURITY_HEADERS});
 *   <li>without a token, only requests that arrived on a loopback address (403, {@link Access}),
 *       however the server was bound;
 *   <li>{@code Host} must name this server: {@code localhost}, an IP address, the configured host
 *       or one of {@code allowed-hosts} (403). A page that rebinds its own DNS name to this machine
 *       sends its own name;
 *   <li>{@code Origin}, when sent, must be this server's own origin, or an allowed host (403); a
 *       browser's cross-site subresource request ({@code Sec-Fetch-Site: cross-site} that is not a
 *       navigation) is refused too;
 *   <li>a body over {@code max-body-size} (413), declared or chunked;
 *   <li>the bearer token rules ({@link Access}): a POST needs the token when one is set (401), or
 *       else must be a request a web page cannot send without the server's consent (403); with
 *       {@code protect-reads}, a GET needs the token (401), except liveness, readiness and the
 *       dashboard's own page, script and style.
 * </ol>
 */
final class Guard extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final transient HttpSettings settings;
    private final transient Access access;

    Guard(HttpSettings settings) {
        this.settings = settings;
        this.access = new Access(settings);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        JsonErrors.secure(res);
        Optional<Access.Refusal> unreachable = access.reach(loopback(req.getLocalAddr()));
        if (unreachable.isPresent()) {
            refuse(res, unreachable.get());
            return;
        }
        String host = req.getHeader("Host");
        String hostName = host == null ? null : hostName(host);
        if (host != null && (hostName == null || !ownName(hostName))) {
            JsonErrors.write(
                    res,
                    403,
                    "Host is not this server's name: browse it as localhost, by IP address, or add"
                            + " the name to tickmux.http.allowed-hosts");
            return;
        }
        String origin = req.getHeader("Origin");
        if (origin != null && !ownOrigin(origin, host)) {
            JsonErrors.write(
                    res,
                    403,
                    "cross-origin request refused: Origin is not this server (add a trusted name to"
                            + " tickmux.http.allowed-hosts)");
            return;
        }
        if ("cross-site".equals(req.getHeader("Sec-Fetch-Site"))
                && !"navigate".equals(req.getHeader("Sec-Fetch-Mode"))) {
            JsonErrors.write(res, 403, "cross-site request refused");
            return;
        }
        if (!bodyWithinLimit(req)) {
            JsonErrors.write(res, 413, JsonErrors.tooLarge(settings));
            return;
        }
        Optional<Access.Refusal> refused =
                access.check(
                        req.getMethod(),
                        req.getRequestURI(),
                        req.getHeader("Authorization"),
                        req.getContentType(),
                        req.getHeader("X-Requested-With"));
        if (refused.isPresent()) {
            refuse(res, refused.get());
            return;
        }
        chain.doFilter(req, res);
    }

    private static void refuse(HttpServletResponse res, Access.Refusal r) throws IOException {
        if (r.challenge()) {
            res.setHeader("WWW-Authenticate", "Bearer");
        }
        JsonErrors.write(res, r.status(), r.message());
    }

    private boolean bodyWithinLimit(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared >= 0) {
            return declared <= settings.maxBodySize();
        }
        String te = req.getHeader("Transfer-Encoding");
        if (te == null) {
            return true;
        }
        // Chunked: read at most one byte past the limit (the endpoints take no body anyway).
        byte[] read = req.getInputStream().readNBytes(settings.maxBodySize() + 1);
        return read.length <= settings.maxBodySize();
    }

    /** Whether a host name (lower case, no port, no brackets) is one this server answers to. */
    private boolean ownName(String name) {
        return name.equals("localhost")
                || ipLiteral(name)
                || name.equals(settings.host().toLowerCase(Locale.ROOT))
                || settings.allowedHosts().contains(name);
    }

    /**
     * This server's own origin: the scheme, name and port the browser sent in {@code Host} (a page
     * of this server calling it), or any origin on an allowed host (a trusted proxy's name).
     */
    private boolean ownOrigin(String origin, String host) {
        URI u;
        try {
            u = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false; // "null" (a sandboxed frame, a file), or no origin a browser would send
        }
        String name = bare(u.getHost().toLowerCase(Locale.ROOT));
        if (settings.allowedHosts().contains(name)) {
            return true;
        }
        if (host == null || !ownName(name)) {
            return false;
        }
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        String hostName = hostName(host);
        return name.equals(hostName) && port == hostPort(host, scheme);
    }

    /** The name part of a Host header, lower case, without port or IPv6 brackets. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && colon != h.lastIndexOf(':')) {
            return null; // an IPv6 address must be in brackets
        }
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.isEmpty() ? null : name;
    }

    private static int hostPort(String host, String scheme) {
        String h = host.strip();
        int close = h.lastIndexOf(']');
        int colon = h.lastIndexOf(':');
        if (colon > close && colon < h.length() - 1) {
            try {
                return Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return scheme.equals("https") ? 443 : 80;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1)
                : host;
    }

    /** An IP address written out: no name to rebind, so never an attacker's page. */
    private static boolean ipLiteral(String name) {
        if (IPV4.matcher(name).matches()) {
            return true;
        }
        if (!name.contains(":") || !name.matches("[0-9a-f:.%]+")) {
            return false;
        }
        try {
            InetAddress.getByName(name); // a literal: no lookup
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean loopback(String address) {
        if (address == null) {
            return false;
        }
        try {
            return InetAddress.getByName(bare(address)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
