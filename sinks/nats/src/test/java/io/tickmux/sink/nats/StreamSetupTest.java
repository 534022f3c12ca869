package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the sink wants of its stream, and what it accepts of an existing one. */
class StreamSetupTest {

    private static StreamSetup setup(String hocon) {
        return new StreamSetup(
                NatsSinkSettings.from(
                        ConfigFactory.parseString(hocon)
                                .withFallback(
                                        ConfigFactory.defaultReference()
                                                .getConfig(NatsSinkSettings.PATH))));
    }

    @Test
    void wantsAStreamOnThePrefixWithTheConfiguredLimits() {
        StreamConfiguration want =
                setup(
                                "subject-prefix = feed.a, stream.name = FEED, stream.storage = file,"
                                        + " stream.max-age = 1h, stream.max-messages = 1000,"
                                        + " stream.max-bytes = 2000000,"
                                        + " stream.duplicate-window = 3m")
                        .wanted();
        assertThat(want.getName()).isEqualTo("FEED");
        assertThat(want.getSubjects()).containsExactly("feed.a.>");
        assertThat(want.getStorageType()).isEqualTo(StorageType.File);
        assertThat(want.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
        assertThat(want.getMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(want.getMaxMsgs()).isEqualTo(1000);
        assertThat(want.getMaxBytes()).isEqualTo(2_000_000);
        assertThat(want.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(3));
        assertThat(setup("stream.storage = memory").wanted().getStorageType())
                .isEqualTo(StorageType.Memory);
    }

    @Test
    void acceptsAStreamThatCapturesThePrefixOrEverythingAndRefusesAnother() {
        StreamSetup s = setup("subject-prefix = feed, stream.name = FEED");
        s.checkCaptures(StreamConfiguration.builder().name("FEED").subjects("feed.>").build());
        s.checkCaptures(StreamConfiguration.builder().name("FEED").subjects(">").build());
        assertThatThrownBy(
                        () ->
                                s.checkCaptures(
                                        StreamConfiguration.builder()
                                                .name("FEED")
                                                .subjects("feed.stocks.>")
                                                .build()))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("stream 'FEED' captures [feed.stocks.>], not feed.>")
                .hasMessageContaining("tickmux.sink.nats.stream.name");
    }

    @Test
    void limitsDifferOnAnyOfTheFourLimitsOnly() {
        StreamSetup s = setup("stream.max-age = 1h, stream.max-messages = 10");
        StreamConfiguration want = s.wanted();
        assertThat(StreamSetup.limitsDiffer(want, want)).isFalse();
        assertThat(
                        StreamSetup.limitsDiffer(
                                StreamConfiguration.builder(want)
                                        .storageType(StorageType.Memory)
                                        .replicas(3)
                                        .build(),
                                want))
                .as("storage and replicas are not limits")
                .isFalse();
        assertThat(
                        StreamSetup.limitsDiffer(
                                StreamConfiguration.builder(want).maxMessages(11).build(), want))
                .isTrue();
        assertThat(
                        StreamSetup.limitsDiffer(
                                StreamConfiguration.builder(want).maxBytes(1 << 20).build(), want))
                .isTrue();
        assertThat(
                        StreamSetup.limitsDiffer(
                                StreamConfiguration.builder(want)
                                        .maxAge(Duration.ofHours(2))
                                        .build(),
                                want))
                .isTrue();
        assertThat(
                        StreamSetup.limitsDiffer(
                                StreamConfiguration.builder(want)
                                        .duplicateWindow(Duration.ofMinutes(1))
                                        .build(),
                                want))
                .isTrue();
    }
}
