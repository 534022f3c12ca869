package io.tickmux.transport.massive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Secret;
import io.tickmux.core.config.SettingsReader;
import io.tickmux.core.config.TickmuxConfigException;
import io.tickmux.core.event.EventKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of {@code tickmux.transport.massive}, documented in the module's {@code
 * reference.conf}.
 *
 * @param url the feed URL, {@code ws://} or {@code wss://}
 * @param apiKey the API key; empty when not set
 * @param channels the channels subscribed for every ticker, in order, without duplicates
 * @param connectTimeout most time to open the socket
 * @param authTimeout most time from the upgrade to {@code auth_success}
 * @param pingInterval how often the client pings
 * @param readDeadline silence after which a connection is dropped as dead
 * @param maxTopicsPerMessage most topics in one subscribe or unsubscribe message
 * @param ackTimeout when an unacknowledged topic is reported as refused
 */
public record MassiveSettings(
        URI url,
        Secret apiKey,
        List<EventKind> channels,
        Duration connectTimeout,
        Duration authTimeout,
        Duration pingInterval,
        Duration readDeadline,
        int maxTopicsPerMessage,
        Duration ackTimeout) {

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.transport.massive";

    public MassiveSettings {
        channels = List.copyOf(channels);
    }

    /**
     * Reads {@code tickmux.transport.massive}.
     *
     * @param root the whole configuration, with this module's reference.conf as fallback
     * @return the settings
     * @throws TickmuxConfigException listing every problem
     */
    public static MassiveSettings from(Config root) {
        return read(root);
    }

    /**
     * These settings with one connection's overrides ({@code url}, {@code api-key}, {@code
     * channels}, or any other key of this module) layered on top.
     *
     * @param root the whole configuration the global settings came from
     * @param overrides the connection's transport settings; empty for none
     * @param connectionId for messages
     * @return the connection's settings
     * @throws TickmuxConfigException listing every problem, naming the connection
     */
    public static MassiveSettings forConnection(
            Config root, Config overrides, String connectionId) {
        if (overrides.isEmpty()) {
            return from(root);
        }
        Config merged =
                overrides.withFallback(
                        root.hasPath(PATH) ? root.getConfig(PATH) : ConfigFactory.empty());
        try {
            return read(merged.atPath(PATH));
        } catch (TickmuxConfigException e) {
            List<String> named = new ArrayList<>();
            for (String p : e.problems()) {
                named.add("connection '" + connectionId + "': " + p);
            }
            throw new TickmuxConfigException(named);
        }
    }

    private static MassiveSettings read(Config root) {
        String label = PATH;
        SettingsReader r = new SettingsReader(root, PATH);
        List<String> extra = new ArrayList<>();
        String rawUrl = r.string("url");
        URI url = null;
        try {
            url = new URI(rawUrl);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || url.getHost() == null) {
                extra.add(
                        label
                                + ".url = '"
                                + rawUrl
                                + "' is not a WebSocket URL: use wss://socket.massive.com/stocks,"
                                + " wss://delayed.massive.com/stocks or ws://host:port/stocks");
                url = null;
            }
        } catch (URISyntaxException e) {
            extra.add(label + ".url = '" + rawUrl + "' is not a URL: " + e.getReason());
        }
        Secret key = Secret.of(r.string("api-key").trim());
        List<EventKind> channels = new ArrayList<>();
        for (String c : r.stringList("channels")) {
            EventKind k = channel(c);
            if (k == null) {
                extra.add(
                        label
                                + ".channels: '"
                                + c
                                + "' is not a stocks channel: use T, Q, A, AM, LULD, NOI or FMV");
            } else if (!channels.contains(k)) {
                channels.add(k);
            }
        }
        if (channels.isEmpty() && r.problems().stream().noneMatch(p -> p.contains(".channels"))) {
            extra.add(label + ".channels is empty: list at least one channel, e.g. [T, Q]");
        }
        MassiveSettings s =
                new MassiveSettings(
                        url,
                        key,
                        channels,
                        r.duration("connect-timeout", Duration.ofMillis(1)),
                        r.duration("auth-timeout", Duration.ofMillis(1)),
                        r.duration("ping-interval", Duration.ofMillis(1)),
                        r.duration("read-deadline", Duration.ofMillis(1)),
                        r.intIn("max-topics-per-message", 1, 100_000),
                        r.duration("ack-timeout", Duration.ofMillis(1)));
        if (s.readDeadline.compareTo(s.pingInterval) <= 0) {
            r.problem(
                    "read-deadline",
                    "= "
                            + s.readDeadline
                            + " must be longer than ping-interval = "
                            + s.pingInterval
                            + ", or every quiet connection is dropped");
        }
        List<String> problems = new ArrayList<>();
        try {
            r.finish();
        } catch (TickmuxConfigException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(extra);
        if (!problems.isEmpty()) {
            throw new TickmuxConfigException(problems);
        }
        return s;
    }

    private static EventKind channel(String c) {
        for (EventKind k : EventKind.values()) {
            if (k.channel().equalsIgnoreCase(c)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "MassiveSettings[url="
                + url
                + ", apiKey="
                + apiKey
                + ", channels="
                + channels
                + ", connectTimeout="
                + connectTimeout
                + ", authTimeout="
                + authTimeout
                + ", pingInterval="
                + pingInterval
                + ", readDeadline="
                + readDeadline
                + ", maxTopicsPerMessage="
                + maxTopicsPerMessage
                + ", ackTimeout="
                + ackTimeout
                + "]";
    }
}
