package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.fake.FakeMassiveServer.AckFraming;
import io.tickmux.fake.FrameBatcher.AckFrame;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Trade;
import io.tickmux.transport.mock.MockEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events cut into frames under both limits, in order; acks framed as configured. */
class FrameBatcherTest {

    private static List<Trade> trades(int n) {
        List<Trade> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MockEvents.trade("AAPL", i, 1_700_000_000_000L + i));
        }
        return out;
    }

    private static List<List<Trade>> frames(
            FrameBatcher b, List<Trade> events, List<String> texts) {
        List<List<Trade>> out = new ArrayList<>();
        b.eventFrames(
                events,
                (frame, text) -> {
                    out.add(List.copyOf(frame));
                    texts.add(text);
                });
        return out;
    }

    @Test
    void atMostSoManyEventsPerFrameInOrder() {
        List<Trade> events = trades(7);
        List<String> texts = new ArrayList<>();
        List<List<Trade>> frames =
                frames(new FrameBatcher(3, 1_000_000, AckFraming.BATCHED), events, texts);
        assertThat(frames).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(frames.stream().flatMap(List::stream).toList()).isEqualTo(events);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(texts.get(i)).isEqualTo(EventJson.frame(frames.get(i)));
        }
    }

    @Test
    void aFrameOverTheSizeLimitIsHalvedUntilItFits() {
        List<Trade> events = trades(40);
        int one = EventJson.frame(events.subList(0, 1)).length();
        int limit = one * 5; // room for about five events, not eight
        List<String> texts = new ArrayList<>();
        List<List<Trade>> frames =
                frames(new FrameBatcher(8, limit, AckFraming.BATCHED), events, texts);
        assertThat(texts).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(limit));
        assertThat(frames).extracting(List::size).containsOnly(4);
        assertThat(frames.stream().flatMap(List::stream).toList()).isEqualTo(events);
    }

    @Test
    void anEventLargerThanTheLimitGoesAloneAndNothingGoesForNoEvents() {
        List<String> texts = new ArrayList<>();
        List<List<Trade>> frames =
                frames(new FrameBatcher(500, 10, AckFraming.BATCHED), trades(3), texts);
        assertThat(frames).extracting(List::size).containsExactly(1, 1, 1);
        List<MarketEvent> none = List.of();
        new FrameBatcher(500, 10, AckFraming.BATCHED)
                .eventFrames(none, (frame, text) -> texts.add("unexpected"));
        assertThat(texts).hasSize(3);
    }

    @Test
    void batchedAcksShareOneFrameAndSeparateOnesGetOneEach() {
        List<String> acks = List.of("subscribed to: T.AAPL", "subscribed to: Q.BRK.A");
        List<AckFrame> batched = new FrameBatcher(500, 1_000, AckFraming.BATCHED).ackFrames(acks);
        assertThat(batched)
                .containsExactly(
                        new AckFrame(
                                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.AAPL\"},"
                                        + "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: Q.BRK.A\"}]",
                                2));
        List<AckFrame> separate = new FrameBatcher(500, 1_000, AckFraming.SEPARATE).ackFrames(acks);
        assertThat(separate)
                .containsExactly(
                        new AckFrame(EventJson.status("success", "subscribed to: T.AAPL"), 1),
                        new AckFrame(EventJson.status("success", "subscribed to: Q.BRK.A"), 1));
        assertThat(new FrameBatcher(500, 1_000, AckFraming.BATCHED).ackFrames(List.of())).isEmpty();
        assertThat(new FrameBatcher(500, 1_000, AckFraming.SEPARATE).ackFrames(List.of()))
                .isEmpty();
    }
}
