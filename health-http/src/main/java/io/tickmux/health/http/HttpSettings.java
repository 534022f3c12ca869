package io.tickmux.health.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.SettingsReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of {@code tickmux.http}, documented in this module's {@code reference.conf}.
 *
 * <p>Two rules hold however the settings are made (read from configuration or built in code): a
 * host other than loopback needs a token, and so does {@code protect-reads}.
 *
 * @param enabled whether the server starts with the application
 * @param host interface to bind
 * @param port port, 0 for any free one
 * @param token bearer token for POST endpoints (and GET endpoints with {@code protectReads}); empty
 *     for none
 * @param pushInterval how often the dashboard stream pushes
 * @param recentEvents how many recent status events the dashboard keeps
 * @param allowedHosts more names (besides {@code localhost}, IP addresses and {@code host}) this
 *     server answers to in {@code Host} and {@code Origin}, lower case
 * @param protectReads whether GET endpoints other than liveness, readiness and the dashboard page
 *     need the token
 * @param maxStreams most dashboard streams open at once
 * @param streamBuffer most snapshots one stream may have waiting; a stream further behind is closed
 * @param maxBodySize largest request body, in bytes
 * @param maxHeaderSize largest request line and headers together, in bytes
 */
public record HttpSettings(
        boolean enabled,
        String host,
        int port,
        Secret token,
        Duration pushInterval,
        int recentEvents,
        List<String> allowedHosts,
        boolean protectReads,
        int maxStreams,
        int streamBuffer,
        int maxBodySize,
        int maxHeaderSize) {

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.http";

    /**
     * @throws IllegalArgumentException when a host other than loopback or {@code protectReads} has
     *     no token, or a value is out of range
     */
    public HttpSettings {
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(token, "token is null");
        Objects.requireNonNull(pushInterval, "pushInterval is null");
        allowedHosts =
                allowedHosts == null
                        ? List.of()
                        : allowedHosts.stream()
                                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                                .toList();
        String problem = tokenProblem(host, token, protectReads);
        if (problem != null) {
            throw new IllegalArgumentException(PATH + "." + problem);
        }
        if (maxStreams < 1 || streamBuffer < 1 || maxBodySize < 0 || maxHeaderSize < 1024) {
            throw new IllegalArgumentException(
                    "maxStreams and streamBuffer must be at least 1, maxBodySize at least 0 and"
                            + " maxHeaderSize at least 1024");
        }
    }

    /**
     * Settings with the defaults of the limits and guards: for code that builds them by hand.
     *
     * @param enabled whether the server starts with the application
     * @param host interface to bind
     * @param port port
     * @param token bearer token, empty for none
     * @param pushInterval how often the dashboard stream pushes
     * @param recentEvents recent status events kept
     * @return settings with no extra allowed hosts, open reads, 32 streams of 8 snapshots, 16 KiB
     *     bodies and 8 KiB headers
     */
    public static HttpSettings of(
            boolean enabled,
            String host,
            int port,
            Secret token,
            Duration pushInterval,
            int recentEvents) {
        return new HttpSettings(
                enabled,
                host,
                port,
                token,
                pushInterval,
                recentEvents,
                List.of(),
                false,
                32,
                8,
                16 * 1024,
                8 * 1024);
    }

    /**
     * Reads {@code tickmux.http}.
     *
     * @param root the whole configuration
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem, including a
     *     non-loopback host without a token
     */
    public static HttpSettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        boolean enabled = r.bool("enabled");
        String host = r.string("host");
        int port = r.intIn("port", 0, 65535);
        Secret token = Secret.of(r.string("token").trim());
        Duration push = r.duration("push-interval", Duration.ofMillis(50));
        int recent = r.intIn("recent-events", 0, 10_000);
        List<String> allowed = new ArrayList<>();
        for (String h : r.stringList("allowed-hosts")) {
            if (!h.isBlank()) {
                allowed.add(h.trim());
            }
        }
        boolean protectReads = r.bool("protect-reads");
        int maxStreams = r.intIn("max-streams", 1, 10_000);
        int streamBuffer = r.intIn("stream-buffer", 1, 1000);
        int maxBody = (int) bytes(r, "max-body-size", 0, 64L * 1024 * 1024);
        int maxHeader = (int) bytes(r, "max-header-size", 1024, 1024 * 1024);
        String problem = tokenProblem(host, token, protectReads);
        if (problem != null) {
            r.problem(
                    problem.substring(0, problem.indexOf(' ')),
                    problem.substring(problem.indexOf(' ') + 1));
        }
        r.finish();
        return new HttpSettings(
                enabled,
                host,
                port,
                token,
                push,
                recent,
                allowed,
                protectReads,
                maxStreams,
                streamBuffer,
                maxBody,
                maxHeader);
    }

    /**
     * Reads settings from HOCON text over the defaults.
     *
     * @param hocon overrides
     * @return the settings
     */
    public static HttpSettings parse(String hocon) {
        return from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
    }

    /** The token rules, as {@code "key message"}; {@code null} when they hold. */
    private static String tokenProblem(String host, Secret token, boolean protectReads) {
        if (!token.isEmpty()) {
            return null;
        }
        if (!host.isEmpty() && !isLoopback(host)) {
            return "host = '"
                    + host
                    + "' is not a loopback address, so tickmux.http.token must be set"
                    + " (env TICKMUX_HTTP_TOKEN) to protect POST endpoints; or bind"
                    + " 127.0.0.1";
        }
        if (protectReads) {
            return "protect-reads = true needs tickmux.http.token (env TICKMUX_HTTP_TOKEN):"
                    + " it is the token GET requests must carry";
        }
        return null;
    }

    /** Reads a size such as {@code 16KiB} or a bare number of bytes, within bounds. */
    private static long bytes(SettingsReader r, String key, long min, long max) {
        String raw = r.string(key);
        long v;
        try {
            v = ConfigFactory.parseMap(Map.of("v", raw)).getBytes("v");
        } catch (ConfigException e) {
            r.problem(key, "= '" + raw + "' is not a size: use e.g. 16KiB, 1MiB or 4096");
            return min;
        }
        if (v < min || v > max) {
            r.problem(key, "= " + raw + " is out of range: use " + min + ".." + max + " bytes");
            return min;
        }
        return v;
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "HttpSettings[enabled="
                + enabled
                + ", host="
                + host
                + ", port="
                + port
                + ", token="
                + token
                + ", pushInterval="
                + pushInterval
                + ", recentEvents="
                + recentEvents
                + ", allowedHosts="
                + allowedHosts
                + ", protectReads="
                + protectReads
                + ", maxStreams="
                + maxStreams
                + ", streamBuffer="
                + streamBuffer
                + ", maxBodySize="
                + maxBodySize
                + ", maxHeaderSize="
                + maxHeaderSize
                + "]";
    }
}
