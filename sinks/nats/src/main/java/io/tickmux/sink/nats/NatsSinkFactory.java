package io.tickmux.sink.nats;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkFactory;

/** {@code tickmux.sinks = [nats]}: the feed published to NATS JetStream. */
public final class NatsSinkFactory implements SinkFactory {

    /** The name configuration selects it by. */
    public static final String NAME = "nats";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sink create(Config settings, SinkContext context) {
        Config merged =
                settings.withFallback(
                        ConfigFactory.defaultReference(NatsSinkFactory.class.getClassLoader())
                                .getConfig(NatsSinkSettings.PATH));
        return new NatsSink(NatsSinkSettings.from(merged), context);
    }
}
