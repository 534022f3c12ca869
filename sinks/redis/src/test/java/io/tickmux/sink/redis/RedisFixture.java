package io.tickmux.sink.redis;

import com.typesafe.config.ConfigFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.testkit.bus.RedisServers;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Redis sink with its own key prefix (and channel names), so tests never see each other's
 * entries, and a plain client to read what it wrote.
 */
final class RedisFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final String url;
    final String id =
            "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    final String prefix = "tmx" + id;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<StatusEvent.Gap> reportedGaps = new CopyOnWriteArrayList<>();
    private final RedisClient client = RedisClient.create();
    private StatefulRedisConnection<String, String> connection;

    RedisFixture(String url) {
        this.url = url;
    }

    RedisSink sink(String hocon) {
        return sink(hocon, Clock.systemUTC());
    }

    RedisSink sink(String hocon, Clock clock) {
        RedisSinkSettings s = settings(hocon);
        return new RedisSink(
                s, SinkContext.of(registry, clock, RedisSinkSettings.PATH, reportedGaps::add));
    }

    RedisSinkSettings settings(String hocon) {
        return RedisSinkSettings.from(
                ConfigFactory.parseString(
                                "url = \""
                                        + url
                                        + "\", streams.key-prefix = "
                                        + prefix
                                        + "\n"
                                        + hocon)
                        .withFallback(
                                ConfigFactory.defaultReference()
                                        .getConfig(RedisSinkSettings.PATH)));
    }

    /** The test's own compatibility channels (the originals with the fixture's id in front). */
    String compatChannels() {
        return "compat.enabled = true, compat.ticker-channel = \""
                + id
                + ".tickstock.ticks.{ticker}\", compat.all-channel = \""
                + id
                + ".tickstock.all_ticks\", compat.raw-channel = \""
                + id
                + ".tickstock.data.raw\", compat.market-channel = \""
                + id
                + ".tickstock:market:ticks\"";
    }

    synchronized RedisCommands<String, String> redis() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect(RedisServers.uri(url));
        }
        return connection.sync();
    }

    List<StreamMessage<String, String>> stream(String key) {
        return redis().xrange(key, io.lettuce.core.Range.unbounded());
    }

    /** The entries' data decoded: market events and status events, in stream order. */
    static List<Object> decode(List<StreamMessage<String, String>> entries) {
        WireReader r = new WireReader();
        List<Object> out = new ArrayList<>();
        for (StreamMessage<String, String> m : entries) {
            WireMessage w =
                    r.read(m.getBody().get(RedisSink.FIELD_DATA).getBytes(StandardCharsets.UTF_8));
            out.add(
                    w instanceof WireMessage.Market mk
                            ? mk.event()
                            : ((WireMessage.Status) w).event());
        }
        return out;
    }

    static List<MarketEvent> events(List<Object> decoded) {
        List<MarketEvent> out = new ArrayList<>();
        for (Object o : decoded) {
            if (o instanceof MarketEvent e) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            List<String> keys = redis().keys(prefix + ":*");
            if (!keys.isEmpty()) {
                redis().del(keys.toArray(new String[0]));
            }
        } catch (RuntimeException e) {
            // the server is gone (a restart test): nothing to clean
        }
        client.shutdown();
    }
}
