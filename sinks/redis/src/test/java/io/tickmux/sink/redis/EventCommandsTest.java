package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which commands publish an event, on which keys, in which order. */
class EventCommandsTest {

    private static final long T0 = 1_767_366_000_000L;
    private static final Instant AT = Instant.ofEpochMilli(T0);
    private static final String COMPAT =
            "compat.enabled = true, compat.ticker-channel = \"ticks.{ticker}\","
                    + " compat.all-channel = all, compat.raw-channel = raw,"
                    + " compat.market-channel = market";

    /** Settings from the reference defaults, without a server. */
    private static RedisSinkSettings settings(String hocon) {
        return RedisSinkSettings.from(
                ConfigFactory.parseString(hocon)
                        .withFallback(
                                ConfigFactory.defaultReference()
                                        .getConfig(RedisSinkSettings.PATH)));
    }

    private static EventCommands commands(String hocon) {
        return new EventCommands(settings("streams.key-prefix = p, " + hocon));
    }

    private static List<String> keys(List<Command> cmds) {
        return cmds.stream().map(c -> (c.xadd ? "XADD " : "PUBLISH ") + c.key).toList();
    }

    @Test
    void anEventIsOneEntryOfItsTickersOrItsChannelsStream() {
        MarketEvent trade = MockEvents.trade("BRK.A", 7, T0);
        List<Command> perTicker = commands("").of(trade, "c1", 1);
        assertThat(keys(perTicker)).containsExactly("XADD p:ticker:BRK_A");
        assertThat(perTicker.get(0).id).isEqualTo(WireFormat.messageId(trade));
        assertThat(perTicker.get(0).value).contains("\"BRK.A\"");
        assertThat(keys(commands("streams.per = channel").of(trade, "c1", 1)))
                .containsExactly("XADD p:channel:T");
    }

    @Test
    void compatibilityAddsTheOriginalChannelsAfterTheStreamEntry() {
        MarketEvent trade = MockEvents.trade("BRK.A", 7, T0);
        List<Command> cmds = commands(COMPAT).of(trade, "c1", 1);
        assertThat(keys(cmds))
                .containsExactly(
                        "XADD p:ticker:BRK_A",
                        "PUBLISH ticks.BRK.A",
                        "PUBLISH all",
                        "PUBLISH raw",
                        "PUBLISH market");
        assertThat(cmds.get(2).value)
                .as("the all channel carries the tick")
                .isEqualTo(cmds.get(1).value);
    }

    @Test
    void emptyChannelsAndKindsNotPublishedAreLeftOut() {
        EventCommands c =
                commands(
                        "streams.enabled = false, "
                                + COMPAT
                                + ", compat.ticker-channel = \"\", compat.raw-channel = \"\","
                                + " compat.event-kinds = [T]");
        assertThat(keys(c.of(MockEvents.trade("AAPL", 1, T0), "c1", 1)))
                .containsExactly("PUBLISH all", "PUBLISH market");
        assertThat(c.of(MockEvents.quote("AAPL", 1, T0), "c1", 1)).isEmpty();
    }

    @Test
    void aGapGoesToItsTickersStreamAndOtherStatusToTheStatusStream() {
        StatusEvent.Gap gap = new StatusEvent.Gap("BRK.A", "c1", AT, AT, "x", AT);
        StatusEvent server = new StatusEvent.ServerStatus("c1", "max_connections", "", AT);
        assertThat(commands("").of(gap).key).isEqualTo("p:ticker:BRK_A");
        assertThat(commands("").of(gap).id).isEqualTo(WireFormat.messageId(gap));
        assertThat(commands("").of(server).key).isEqualTo("p:status");
        assertThat(commands("streams.per = channel").of(gap).key).isEqualTo("p:status");
    }

    @Test
    void statusIsNotWrittenWithoutStreamsAndOnlyGapsWithPublishStatusOff() {
        StatusEvent.Gap gap = new StatusEvent.Gap("AAPL", "c1", AT, AT, "x", AT);
        StatusEvent server = new StatusEvent.ServerStatus("c1", "max_connections", "", AT);
        EventCommands quiet = commands("streams.publish-status = false");
        assertThat(quiet.of(server)).isNull();
        assertThat(quiet.of(gap)).isNotNull();
        assertThat(commands("streams.enabled = false, " + COMPAT).of(gap)).isNull();
    }
}
