package io.tickmux.sink.nats;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Message;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** A NATS sink on its own stream and subject prefix, so tests never see each other's messages. */
final class NatsFixture {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final String url;
    final String id =
            "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    final String prefix = "tmx" + id;
    final String stream = "TMX_" + id.toUpperCase(java.util.Locale.ROOT);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<StatusEvent.Gap> reportedGaps = new CopyOnWriteArrayList<>();

    NatsFixture(String url) {
        this.url = url;
    }

    NatsSink sink(String hocon) {
        NatsSinkSettings s =
                NatsSinkSettings.from(
                        ConfigFactory.parseString(
                                        "url = \""
                                                + url
                                                + "\", subject-prefix = "
                                                + prefix
                                                + ", stream.name = "
                                                + stream
                                                + ", stream.storage = memory\n"
                                                + hocon)
                                .withFallback(
                                        ConfigFactory.defaultReference()
                                                .getConfig(NatsSinkSettings.PATH)));
        return new NatsSink(
                s,
                SinkContext.of(
                        registry, Clock.systemUTC(), NatsSinkSettings.PATH, reportedGaps::add));
    }

    /** Every message on the stream, decoded, in stream order. */
    static List<Object> decode(List<Message> messages) {
        WireReader r = new WireReader();
        List<Object> out = new ArrayList<>();
        for (Message m : messages) {
            WireMessage w = r.read(m.getData());
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
}
