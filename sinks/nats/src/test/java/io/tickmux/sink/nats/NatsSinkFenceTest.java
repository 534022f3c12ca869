package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Fence;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.testkit.bus.StreamReader;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fenced NATS sink: every message carries the epoch; once the fence is invalid, nothing more. */
class NatsSinkFenceTest {

    private static final long T0 = 1_767_366_000_000L;

    /** A fence the test revokes. */
    private static final class TestFence implements Fence {
        volatile boolean valid = true;

        @Override
        public long epoch() {
            return 42;
        }

        @Override
        public boolean valid() {
            return valid;
        }
    }

    private NatsFixture f;
    private Connection reader;

    @BeforeEach
    void setUp() throws Exception {
        f = new NatsFixture(NatsServers.shared());
        reader = NatsServers.connect(f.url);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            reader.jetStreamManagement().deleteStream(f.stream);
        } catch (Exception e) {
            // never made
        }
        reader.close();
    }

    private double fencedDrops() {
        return f.registry
                .get("tickmux.sink.dropped")
                .tag("sink", "nats")
                .tag("reason", "fenced")
                .counter()
                .count();
    }

    @Test
    void stampsTheEpochAndPublishesNothingOnceTheLeaseIsNoLongerValid() throws Exception {
        TestFence fence = new TestFence();
        try (NatsSink sink = f.sink("")) {
            sink.fence(fence);
            sink.start();
            long before = Instant.now().toEpochMilli() * 1_000_000L;
            sink.onEvents(
                    "connection_1",
                    List.of(MockEvents.trade("AAPL", 1, T0), MockEvents.quote("AAPL", 2, T0)));
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    StreamReader.readAll(
                                                            reader, f.stream, f.prefix + ".>"))
                                            .hasSize(2));
            List<Message> stored = StreamReader.readAll(reader, f.stream, f.prefix + ".>");
            WireReader r = new WireReader();
            for (Message m : stored) {
                assertThat(m.getHeaders().getFirst(WireFormat.EPOCH_HEADER)).isEqualTo("42");
                assertThat(r.read(m.getData()).epoch()).isEqualTo(42);
            }
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(sink.publishedThroughNanos())
                                            .isGreaterThanOrEqualTo(before));

            fence.valid = false;
            MarketEvent late = MockEvents.trade("AAPL", 3, T0 + 1);
            sink.onEvents("connection_1", List.of(late));
            sink.onStatus(
                    new StatusEvent.Gap(
                            "AAPL",
                            "connection_1",
                            Instant.ofEpochMilli(T0),
                            Instant.ofEpochMilli(T0 + 1),
                            "test",
                            Instant.now()));
            await().atMost(NatsFixture.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(fencedDrops())
                                            .as("dropped{reason=fenced}")
                                            .isEqualTo(2.0));
        }
        // Closing under an invalid fence publishes nothing either.
        assertThat(StreamReader.readAll(reader, f.stream, f.prefix + ".>")).hasSize(2);
    }
}
