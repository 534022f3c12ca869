package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.lettuce.core.RedisURI;
import io.tickmux.spi.config.SettingsReader;
import io.tickmux.spi.event.EventKind;
import io.tickmux.spi.sink.SinkOverflow;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code tickmux.sink.redis}, read eagerly: every problem is reported at once with its full path.
 *
 * @param url the server's URI, possibly with a password; never logged ({@link #where()} masks it)
 * @param clientName the client's name in CLIENT LIST
 * @param streams whether Redis Streams are written
 * @param keyPrefix the stream key prefix
 * @param per one stream per ticker or per channel
 * @param trim how streams are trimmed
 * @param maxLength MAXLEN for {@code trim = length}
 * @param maxAge the age MINID keeps for {@code trim = age}
 * @param approximate whether trimming is approximate ({@code ~})
 * @param publishStatus whether status events other than gaps are written
 * @param compat whether the original application's pub/sub channels are published
 * @param tickerChannel per-ticker channel pattern with {@code {ticker}}; empty for off
 * @param allChannel the all-ticks channel; empty for off
 * @param rawChannel the raw-data channel; empty for off
 * @param marketChannel the downstream service's channel; empty for off
 * @param compatKinds the event kinds published in compatibility mode
 * @param source the payloads' {@code source}
 * @param regular {@code market_status} during the regular session
 * @param preMarket before it
 * @param afterHours after it
 * @param closed otherwise
 * @param bufferCapacity the sink's buffer
 * @param overflow what a full buffer drops
 * @param maxInFlight unacknowledged events at most
 * @param commandTimeout how long an answer may take before the connection is treated as broken
 * @param maxRetries resends of an event Redis refused before it is given up
 * @param connectTimeout one connect attempt
 * @param reconnectWait between reconnect attempts
 * @param closeTimeout the most time close() publishes what is buffered
 */
public record RedisSinkSettings(
        String url,
        String clientName,
        boolean streams,
        String keyPrefix,
        Per per,
        Trim trim,
        long maxLength,
        Duration maxAge,
        boolean approximate,
        boolean publishStatus,
        boolean compat,
        String tickerChannel,
        String allChannel,
        String rawChannel,
        String marketChannel,
        Set<EventKind> compatKinds,
        String source,
        String regular,
        String preMarket,
        String afterHours,
        String closed,
        int bufferCapacity,
        SinkOverflow overflow,
        int maxInFlight,
        Duration commandTimeout,
        int maxRetries,
        Duration connectTimeout,
        Duration reconnectWait,
        Duration closeTimeout) {

    /** The path of these settings. */
    public static final String PATH = "tickmux.sink.redis";

    /** How events are spread over streams. */
    public enum Per {
        /** {@code <prefix>:ticker:<ticker>}: every channel of a ticker, in order. */
        TICKER,
        /** {@code <prefix>:channel:<channel>}. */
        CHANNEL
    }

    /** How streams are trimmed at each XADD. */
    public enum Trim {
        /** {@code MAXLEN}. */
        LENGTH,
        /** {@code MINID} of now minus the age. */
        AGE,
        /** Not trimmed. */
        NONE
    }

    public RedisSinkSettings {
        requireNonNull(url, "url is null");
        compatKinds = compatKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(compatKinds));
    }

    /**
     * @param settings the subtree {@code tickmux.sink.redis}
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static RedisSinkSettings from(Config settings) {
        SettingsReader r = new SettingsReader(settings.atPath(PATH), PATH);
        String url = r.string("url");
        try {
            RedisURI.create(url);
        } catch (RuntimeException e) {
            r.problem(
                    "url",
                    "is not a Redis URI (redis://host:port, rediss:// for TLS): "
                            + masked(url, e.getMessage()));
        }
        String name = r.string("client-name");
        boolean streams = r.bool("streams.enabled");
        String prefix = r.string("streams.key-prefix");
        if (!prefix.matches("[A-Za-z0-9_.:-]+")) {
            r.problem(
                    "streams.key-prefix",
                    "'" + prefix + "' is not a key prefix: letters, digits, _ . : -");
        }
        Per per = r.enumValue("streams.per", Per.class);
        Trim trim = r.enumValue("streams.trim", Trim.class);
        long maxLength = r.intIn("streams.max-length", 1, Integer.MAX_VALUE);
        Duration maxAge = r.duration("streams.max-age", Duration.ofSeconds(1));
        boolean approximate = r.bool("streams.approximate");
        boolean status = r.bool("streams.publish-status");
        boolean compat = r.bool("compat.enabled");
        String tickerChannel = r.string("compat.ticker-channel");
        if (!tickerChannel.isEmpty() && !tickerChannel.contains("{ticker}")) {
            r.problem(
                    "compat.ticker-channel",
                    "'" + tickerChannel + "' must contain {ticker} (or be empty for none)");
        }
        String all = r.string("compat.all-channel");
        String raw = r.string("compat.raw-channel");
        String market = r.string("compat.market-channel");
        EnumSet<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String k : r.stringList("compat.event-kinds")) {
            EventKind found = null;
            for (EventKind e :
                    List.of(
                            EventKind.TRADE,
                            EventKind.QUOTE,
                            EventKind.SECOND_AGGREGATE,
                            EventKind.MINUTE_AGGREGATE)) {
                if (e.channel().equals(k)) {
                    found = e;
                }
            }
            if (found == null) {
                r.problem(
                        "compat.event-kinds",
                        "'" + k + "' is not one of T, Q, A, AM (what the original app published)");
            } else {
                kinds.add(found);
            }
        }
        String source = r.string("compat.source");
        String regular = r.string("compat.market-status.regular");
        String pre = r.string("compat.market-status.pre-market");
        String after = r.string("compat.market-status.after-hours");
        String closed = r.string("compat.market-status.closed");
        if (!streams && !compat) {
            r.problem(
                    "streams.enabled",
                    "and compat.enabled are both false: the sink would publish nothing; turn one"
                            + " on or remove redis from tickmux.sinks");
        }
        int capacity = r.intIn("buffer.capacity", 2, 16_777_216);
        SinkOverflow overflow = r.enumValue("buffer.overflow", SinkOverflow.class);
        int inFlight = r.intIn("max-in-flight", 1, 1_000_000);
        Duration timeout = r.duration("command-timeout", Duration.ofMillis(10));
        int retries = r.intIn("max-retries", 0, 1_000);
        Duration connect = r.duration("connect-timeout", Duration.ofMillis(10));
        Duration reconnect = r.duration("reconnect-wait", Duration.ofMillis(1));
        Duration close = r.duration("close-timeout", Duration.ZERO);
        r.finish();
        return new RedisSinkSettings(
                url,
                name,
                streams,
                prefix,
                per,
                trim,
                maxLength,
                maxAge,
                approximate,
                status,
                compat,
                tickerChannel,
                all,
                raw,
                market,
                kinds,
                source,
                regular,
                pre,
                after,
                closed,
                capacity,
                overflow,
                inFlight,
                timeout,
                retries,
                connect,
                reconnect,
                close);
    }

    private static String masked(String url, String message) {
        String m = message == null ? "" : message;
        int at = url.lastIndexOf('@');
        if (at > 0) {
            String secret = url.substring(0, at);
            m = m.replace(secret, "****");
            return "'****" + url.substring(at) + "' (" + m + ")";
        }
        return "'" + url + "' (" + m + ")";
    }

    /**
     * @return the server without credentials, e.g. {@code redis://127.0.0.1:6379}, for logs, health
     *     and messages
     */
    public String where() {
        try {
            RedisURI u = RedisURI.create(url);
            return (u.isSsl() ? "rediss://" : "redis://")
                    + u.getHost()
                    + ":"
                    + u.getPort()
                    + (u.getDatabase() != 0 ? "/" + u.getDatabase() : "");
        } catch (RuntimeException e) {
            return "(invalid url)";
        }
    }

    @Override
    public String toString() {
        return "RedisSinkSettings[url="
                + where()
                + ", streams="
                + (streams ? keyPrefix + " per " + per + ", trim " + trim : "off")
                + ", compat="
                + (compat ? compatKinds : "off")
                + ", buffer="
                + bufferCapacity
                + "/"
                + overflow
                + ", max-in-flight="
                + maxInFlight
                + "]";
    }
}
