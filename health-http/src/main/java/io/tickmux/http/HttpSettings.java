package io.tickmux.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Secret;
import io.tickmux.core.config.SettingsReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The settings of {@code tickmux.http}, documented in this module's {@code reference.conf}.
 *
 * @param enabled whether the server starts with the application
 * @param host interface to bind
 * @param port port, 0 for any free one
 * @param token bearer token for POST endpoints; empty for none
 * @param pushInterval how often the dashboard stream pushes
 * @param recentEvents how many recent status events the dashboard keeps
 */
public record HttpSettings(
        boolean enabled,
        String host,
        int port,
        Secret token,
        Duration pushInterval,
        int recentEvents) {

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.http";

    /**
     * Reads {@code tickmux.http}.
     *
     * @param root the whole configuration
     * @return the settings
     * @throws io.tickmux.core.config.TickmuxConfigException listing every problem, including a
     *     non-loopback host without a token
     */
    public static HttpSettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        HttpSettings s =
                new HttpSettings(
                        r.bool("enabled"),
                        r.string("host"),
                        r.intIn("port", 0, 65535),
                        Secret.of(r.string("token").trim()),
                        r.duration("push-interval", Duration.ofMillis(50)),
                        r.intIn("recent-events", 0, 10_000));
        if (!s.host.isEmpty() && !isLoopback(s.host) && s.token.isEmpty()) {
            r.problem(
                    "host",
                    "= '"
                            + s.host
                            + "' is not a loopback address, so tickmux.http.token must be set"
                            + " (env TICKMUX_HTTP_TOKEN) to protect POST endpoints; or bind"
                            + " 127.0.0.1");
        }
        r.finish();
        return s;
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
                + "]";
    }
}
