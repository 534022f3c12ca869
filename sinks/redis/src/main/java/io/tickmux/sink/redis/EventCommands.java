package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that publish an event: its {@code XADD} on its stream (streams on) and its {@code
 * PUBLISH}es on the original application's channels (compatibility on, for the kinds it publishes);
 * a gap's {@code XADD} on its ticker's stream (per ticker) or the status stream, other status on
 * the status stream. Not thread-safe: the publishing thread's.
 */
final class EventCommands {

    private final RedisSinkSettings settings;
    private final WireWriter writer = new WireWriter();
    private final CompatPayloads compat;
    private final String statusKey;

    /**
     * @param settings the sink's settings
     */
    EventCommands(RedisSinkSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.compat = new CompatPayloads(settings);
        this.statusKey = settings.keyPrefix() + ":status";
    }

    /**
     * @param event a market event
     * @param connectionId its connection
     * @param receivedNanos its gateway receipt, Unix ns
     * @return its commands in the order they are sent; empty when nothing publishes it
     */
    List<Command> of(MarketEvent event, String connectionId, long receivedNanos) {
        List<Command> cmds = new ArrayList<>(5);
        if (settings.streams()) {
            cmds.add(
                    new Command(
                            RedisSink.streamKey(settings, event),
                            true,
                            WireFormat.messageId(event),
                            new String(
                                    writer.market(event, connectionId, receivedNanos),
                                    StandardCharsets.UTF_8)));
        }
        if (settings.compat() && compat.publishes(event)) {
            String tick = null;
            if (!settings.tickerChannel().isEmpty()) {
                tick = compat.tick(event);
                cmds.add(
                        new Command(
                                settings.tickerChannel().replace("{ticker}", event.symbol()),
                                false,
                                null,
                                tick));
            }
            if (!settings.allChannel().isEmpty()) {
                cmds.add(
                        new Command(
                                settings.allChannel(),
                                false,
                                null,
                                tick != null ? tick : compat.tick(event)));
            }
            if (!settings.rawChannel().isEmpty()) {
                cmds.add(new Command(settings.rawChannel(), false, null, compat.raw(event)));
            }
            if (!settings.marketChannel().isEmpty()) {
                cmds.add(new Command(settings.marketChannel(), false, null, compat.market(event)));
            }
        }
        return cmds;
    }

    /**
     * @param event a status event
     * @return its {@code XADD}; null when it is not written (streams off, or {@code publish-status}
     *     off and it is not a gap)
     */
    Command of(StatusEvent event) {
        if (!settings.streams()) {
            return null;
        }
        boolean gap = event instanceof StatusEvent.Gap;
        if (!gap && !settings.publishStatus()) {
            return null;
        }
        String key =
                gap && settings.per() == RedisSinkSettings.Per.TICKER
                        ? settings.keyPrefix()
                                + ":ticker:"
                                + WireFormat.token(((StatusEvent.Gap) event).symbol())
                        : statusKey;
        return new Command(
                key,
                true,
                WireFormat.messageId(event),
                new String(writer.status(event), StandardCharsets.UTF_8));
    }
}
