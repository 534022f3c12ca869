package io.tickmux.transport.massive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.EventKind;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
 * @param maxFrameSize the largest message (one frame, or the fragments of one message together) the
 *     server may send, in bytes; a larger one closes the connection
 * @param allowCleartext whether a {@code ws://} URL to a host other than loopback is allowed (the
 *     API key then travels in clear)
 * @param parsing where frames are parsed: on the socket's read thread, or on a parsing stage of
 *     their own
 * @param parseStageFrames the most frames handed to the parsing stage and not yet parsed
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
        Duration ackTimeout,
        int maxFrameSize,
        boolean allowCleartext,
        Parsing parsing,
        int parseStageFrames) {

    /** Where a connection parses its frames ({@code parsing} in {@code reference.conf}). */
    public enum Parsing {
        /** On the socket's read thread: the lowest latency; one core per connection. */
        READ_THREAD,
        /**
         * On a thread of the connection's own ({@code tickmux-massive-parse-<id>}), fed by the read
         * thread through a bounded ring: reading and parsing on two cores.
         */
        STAGE
    }

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.transport.massive";

    /** The smallest {@code max-frame-size}: a real frame of a few events must always fit. */
    public static final int MIN_FRAME_SIZE = 64 * 1024;

    public MassiveSettings {
        channels = List.copyOf(channels);
    }

    /**
     * Why these settings must not connect, if they must not: a {@code ws://} URL to a host other
     * than loopback sends the API key in clear, and is refused unless {@code allow-cleartext} is
     * set. Checked when the settings are read and again when a connection is created, so settings
     * built in code are held to the same rule.
     *
     * @return the problem, naming the fix; empty when the URL is {@code wss://}, loopback, or
     *     cleartext is allowed
     */
    public Optional<String> cleartextProblem() {
        if (url == null
                || allowCleartext
                || !"ws".equalsIgnoreCase(url.getScheme())
                || isLoopback(url.getHost())) {
            return Optional.empty();
        }
        return Optional.of(
                PATH
                        + ".url = '"
                        + url
                        + "' is cleartext (ws://) to a host other than loopback: the API key would"
                        + " travel unencrypted. Use wss://, or set "
                        + PATH
                        + ".allow-cleartext = true if the network is trusted");
    }

    /**
     * Whether a URL host is loopback by its spelling alone ({@code localhost}, {@code 127.x.x.x},
     * {@code ::1}): no name is resolved, so DNS cannot turn another host into "loopback".
     *
     * @param host a URI's host, IPv6 in brackets or not
     * @return whether it is loopback
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.matches("127(\\.\\d{1,3}){3}") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
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
                        r.duration("ack-timeout", Duration.ofMillis(1)),
                        (int) bytes(r, "max-frame-size", MIN_FRAME_SIZE, Integer.MAX_VALUE - 8),
                        r.bool("allow-cleartext"),
                        r.enumValue("parsing", Parsing.class),
                        r.intIn("parse-stage-frames", 2, 65_536));
        s.cleartextProblem().ifPresent(extra::add);
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

    /**
     * Reads a size such as {@code 16MiB}, {@code 512KiB} or a bare number of bytes, within bounds.
     */
    static long bytes(SettingsReader r, String key, long min, long max) {
        String raw = r.string(key);
        long v;
        try {
            v = ConfigFactory.parseMap(Map.of("v", raw)).getBytes("v");
        } catch (ConfigException e) {
            r.problem(key, "= '" + raw + "' is not a size: use e.g. 16MiB, 512KiB or 1000000");
            return min;
        }
        if (v < min || v > max) {
            r.problem(key, "= " + raw + " is out of range: use " + min + ".." + max + " bytes");
            return min;
        }
        return v;
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
                + ", maxFrameSize="
                + maxFrameSize
                + ", allowCleartext="
                + allowCleartext
                + ", parsing="
                + parsing
                + ", parseStageFrames="
                + parseStageFrames
                + "]";
    }
}
