package io.tickmux.sink.redis;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkFactory;

/** {@code tickmux.sinks = [redis]}: the feed published to Redis Streams and/or pub/sub. */
public final class RedisSinkFactory implements SinkFactory {

    /** The name configuration selects it by. */
    public static final String NAME = "redis";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sink create(Config settings, SinkContext context) {
        Config merged =
                settings.withFallback(
                        ConfigFactory.defaultReference(RedisSinkFactory.class.getClassLoader())
                                .getConfig(RedisSinkSettings.PATH));
        return new RedisSink(RedisSinkSettings.from(merged), context);
    }
}
