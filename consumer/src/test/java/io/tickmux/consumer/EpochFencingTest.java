package io.tickmux.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.testkit.bus.NatsServers;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import io.tickmux.wire.WireWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The consumer drops messages of an older gateway epoch once it has seen a newer one. */
class EpochFencingTest {

    private static final long T0 = 1_767_366_000_000L;

    @Test
    void messagesOfAnOlderEpochAfterANewerOneAreDroppedAndCounted() throws Exception {
        String id = "e" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String prefix = "tmx" + id;
        String stream = "TMX_" + id.toUpperCase(Locale.ROOT);
        String url = NatsServers.shared();
        WireWriter w = new WireWriter();
        try (Connection c = NatsServers.connect(url)) {
            c.jetStreamManagement()
                    .addStream(
                            StreamConfiguration.builder()
                                    .name(stream)
                                    .subjects(prefix + ".>")
                                    .storageType(StorageType.Memory)
                                    .build());
            try {
                // epochs as stored: 5, 5, 7, 5 (a late message of the old holder), none, 7
                long[] epochs = {5, 5, 7, 5, 0, 7};
                for (int i = 0; i < epochs.length; i++) {
                    MarketEvent e = MockEvents.trade("AAPL", i + 1, T0 + i);
                    Headers h = new Headers();
                    h.put(WireFormat.MSG_ID_HEADER, WireFormat.messageId(e));
                    c.jetStream()
                            .publish(
                                    NatsMessage.builder()
                                            .subject(prefix + ".stocks.T.AAPL")
                                            .headers(h)
                                            .data(w.market(e, "connection_1", 1, epochs[i]))
                                            .build());
                }
                List<Long> got = new CopyOnWriteArrayList<>();
                try (TickmuxConsumer consumer =
                        TickmuxConsumer.builder(JetStreamSource.of(url, id).at(stream, prefix))
                                .tickListener(e -> got.add(e.timestampMillis() - T0))
                                .build()) {
                    consumer.start();
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() -> assertThat(consumer.position()).isEqualTo(6));
                    assertThat(got).containsExactly(0L, 1L, 2L, 4L, 5L);
                    assertThat(consumer.staleEpochDropped()).isEqualTo(1);
                    assertThat(consumer.epoch()).isEqualTo(7);
                }
            } finally {
                c.jetStreamManagement().deleteStream(stream);
            }
        }
    }
}
