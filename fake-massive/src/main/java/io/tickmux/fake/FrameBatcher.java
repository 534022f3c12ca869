package io.tickmux.fake;

import io.tickmux.fake.FakeMassiveServer.AckFraming;
import io.tickmux.spi.event.MarketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * How the server cuts what it sends into text frames, each a JSON array (reference §0.1, §0.6,
 * §3.3): events in order, at most so many per frame and under a frame size limit (a frame over it
 * is halved until it fits or holds one event); the acks of one subscribe or unsubscribe message in
 * one frame or one frame each. Immutable.
 */
final class FrameBatcher {

    /**
     * One frame of acks.
     *
     * @param text the frame
     * @param acks the acks in it, one per topic
     */
    record AckFrame(String text, int acks) {}

    private final int maxEventsPerFrame;
    private final int maxFrameBytes;
    private final AckFraming ackFraming;

    /**
     * @param maxEventsPerFrame most events in one frame
     * @param maxFrameBytes frame size limit, in characters of JSON
     * @param ackFraming how acks are framed
     */
    FrameBatcher(int maxEventsPerFrame, int maxFrameBytes, AckFraming ackFraming) {
        this.maxEventsPerFrame = maxEventsPerFrame;
        this.maxFrameBytes = maxFrameBytes;
        this.ackFraming = ackFraming;
    }

    /**
     * Cuts events into frames, in order, handing each to {@code out} as soon as it is written.
     *
     * @param events the events
     * @param out takes each frame's events and its text
     * @param <E> the events' type
     */
    <E extends MarketEvent> void eventFrames(List<E> events, BiConsumer<List<E>, String> out) {
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + maxEventsPerFrame);
            String frame = EventJson.frame(events.subList(from, to));
            while (frame.length() > maxFrameBytes && to - from > 1) {
                to = from + (to - from) / 2;
                frame = EventJson.frame(events.subList(from, to));
            }
            out.accept(events.subList(from, to), frame);
            from = to;
        }
    }

    /**
     * Frames the acks one message owes.
     *
     * @param messages the ack messages, e.g. {@code subscribed to: T.AAPL}, in order
     * @return the frames, none when there is no ack
     */
    List<AckFrame> ackFrames(List<String> messages) {
        List<String[]> acks = new ArrayList<>();
        for (String m : messages) {
            acks.add(new String[] {"success", m});
        }
        List<AckFrame> frames = new ArrayList<>();
        if (ackFraming == AckFraming.BATCHED) {
            if (!acks.isEmpty()) {
                frames.add(new AckFrame(EventJson.statuses(acks), acks.size()));
            }
        } else {
            for (String[] a : acks) {
                frames.add(new AckFrame(EventJson.statuses(List.<String[]>of(a)), 1));
            }
        }
        return frames;
    }
}
