package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Duration;
import java.util.List;

/**
 * {@code tickmux.sink.nats}, read eagerly: every problem is reported at once with its full path.
 *
 * @param urls the servers
 * @param token a token; empty for none; never logged ({@link #toString()} masks it)
 * @param connectionName the client's name on the server
 * @param prefix the subject prefix
 * @param publishStatus whether status events other than gaps are published
 * @param stream the stream's name
 * @param streamMode create or check
 * @param storage file or memory
 * @param maxAge retention by age; zero for none
 * @param maxMessages retention by count; -1 for none
 * @param maxBytes retention by size; -1 for none
 * @param duplicateWindow JetStream's duplicate window
 * @param replicas stream replicas
 * @param bufferCapacity the sink's buffer
 * @param overflow what a full buffer drops
 * @param maxInFlight unacknowledged messages at most
 * @param ackTimeout how long before a message is sent again
 * @param maxRetries resends while connected before a message is given up
 * @param connectTimeout one connect attempt
 * @param reconnectWait between reconnect attempts
 * @param pingInterval how often the client pings the server; two unanswered pings mean a dead
 *     connection, and it reconnects
 * @param closeTimeout the most time close() publishes what is buffered
 */
public record NatsSinkSettings(
        List<String> urls,
        String token,
        String connectionName,
        String prefix,
        boolean publishStatus,
        String stream,
        StreamMode streamMode,
        Storage storage,
        Duration maxAge,
        long maxMessages,
        long maxBytes,
        Duration duplicateWindow,
        int replicas,
        int bufferCapacity,
        SinkOverflow overflow,
        int maxInFlight,
        Duration ackTimeout,
        int maxRetries,
        Duration connectTimeout,
        Duration reconnectWait,
        Duration pingInterval,
        Duration closeTimeout) {

    /** The path of these settings. */
    public static final String PATH = "tickmux.sink.nats";

    /** What the sink does about the stream at start. */
    public enum StreamMode {
        /** Create it when missing, update its limits when they differ. */
        CREATE,
        /** Only check that it exists and captures the subjects. */
        CHECK
    }

    /** JetStream storage. */
    public enum Storage {
        /** On disk: survives a server restart. */
        FILE,
        /** In memory. */
        MEMORY
    }

    public NatsSinkSettings {
        urls = List.copyOf(urls);
        requireNonNull(token, "token is null");
        requireNonNull(prefix, "prefix is null");
    }

    /**
     * @param settings the subtree {@code tickmux.sink.nats}
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static NatsSinkSettings from(Config settings) {
        SettingsReader r = new SettingsReader(settings.atPath(PATH), PATH);
        List<String> urls =
                List.of(r.string("url").split("\\s*,\\s*")).stream()
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (urls.isEmpty()) {
            r.problem("url", "is empty: name at least one server, e.g. nats://127.0.0.1:4222");
        }
        String token = r.string("token");
        String name = r.string("connection-name");
        String prefix = r.string("subject-prefix");
        if (!prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            r.problem(
                    "subject-prefix",
                    "'"
                            + prefix
                            + "' is not a subject prefix: tokens of letters, digits, _ or -"
                            + " separated by dots");
        }
        boolean status = r.bool("publish-status");
        String stream = r.string("stream.name");
        if (!stream.matches("[A-Za-z0-9_-]+")) {
            r.problem(
                    "stream.name", "'" + stream + "' is not a stream name: letters, digits, _, -");
        }
        StreamMode mode = r.enumValue("stream.mode", StreamMode.class);
        Storage storage = r.enumValue("stream.storage", Storage.class);
        Duration maxAge = r.duration("stream.max-age", Duration.ZERO);
        long maxMessages = r.intIn("stream.max-messages", -1, Integer.MAX_VALUE);
        long maxBytes = longIn(settings, r, "stream.max-bytes");
        Duration dup = r.duration("stream.duplicate-window", Duration.ofSeconds(1));
        int replicas = r.intIn("stream.replicas", 1, 5);
        int capacity = r.intIn("buffer.capacity", 2, 16_777_216);
        SinkOverflow overflow = r.enumValue("buffer.overflow", SinkOverflow.class);
        int inFlight = r.intIn("max-in-flight", 1, 1_000_000);
        Duration ack = r.duration("ack-timeout", Duration.ofMillis(10));
        int retries = r.intIn("max-retries", 0, 1_000);
        Duration connect = r.duration("connect-timeout", Duration.ofMillis(10));
        Duration reconnect = r.duration("reconnect-wait", Duration.ofMillis(1));
        Duration ping = r.duration("ping-interval", Duration.ofMillis(100));
        Duration close = r.duration("close-timeout", Duration.ZERO);
        r.finish();
        return new NatsSinkSettings(
                urls,
                token,
                name,
                prefix,
                status,
                stream,
                mode,
                storage,
                maxAge,
                maxMessages,
                maxBytes,
                dup,
                replicas,
                capacity,
                overflow,
                inFlight,
                ack,
                retries,
                connect,
                reconnect,
                ping,
                close);
    }

    private static long longIn(Config settings, SettingsReader r, String key) {
        String s = r.string(key).trim();
        try {
            long v =
                    s.matches("-?\\d+")
                            ? Long.parseLong(s)
                            : ConfigFactory.parseString("v = \"" + s + "\"").getBytes("v");
            if (v < -1) {
                r.problem(key, "must be -1 (unlimited) or a size, was " + v);
            }
            return v;
        } catch (RuntimeException e) {
            r.problem(key, "must be -1 or a size such as 10g, was '" + s + "'");
            return -1;
        }
    }

    @Override
    public String toString() {
        return "NatsSinkSettings[urls="
                + urls
                + ", token="
                + (token.isEmpty() ? "(none)" : "****")
                + ", prefix="
                + prefix
                + ", stream="
                + stream
                + ", buffer="
                + bufferCapacity
                + "/"
                + overflow
                + ", max-in-flight="
                + maxInFlight
                + "]";
    }
}
