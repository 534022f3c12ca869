package io.tickmux.fake;

import io.tickmux.spi.event.MarketEvent;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;

/**
 * How frames reach a session's socket: events batched by the {@link FrameBatcher} and recorded as
 * sent, events a broken server sends unasked, acks (held while the session holds them), an abort
 * that lets queued frames out first, and a hostile oversized message. Thread-safe.
 */
final class FrameSender {

    private final FrameBatcher batcher;
    private final boolean recordEvents;
    private final ScheduledExecutorService timers;
    private final Consumer<WebSocket> writeDemand;

    /**
     * @param batcher cuts events and acks into frames
     * @param recordEvents whether sessions keep every event sent (they count them either way)
     * @param timers the server's timer thread
     * @param writeDemand tells the socket server a socket has bytes queued
     */
    FrameSender(
            FrameBatcher batcher,
            boolean recordEvents,
            ScheduledExecutorService timers,
            Consumer<WebSocket> writeDemand) {
        this.batcher = batcher;
        this.recordEvents = recordEvents;
        this.timers = timers;
        this.writeDemand = writeDemand;
    }

    /**
     * Sends events a session holds the topics of, in frames, and records them as sent.
     *
     * @param s the session
     * @param events the events, already filtered for it
     */
    void events(FakeSession s, List<MarketEvent> events) {
        batcher.eventFrames(events, (frame, text) -> s.deliver(frame, text, recordEvents));
    }

    /**
     * Sends events whether or not the session holds their topics, batched as {@link #events}
     * batches them; not recorded as sent.
     *
     * @param s the session
     * @param events the events, in order
     */
    void unasked(FakeSession s, List<? extends MarketEvent> events) {
        batcher.eventFrames(events, (frame, text) -> s.send(text));
    }

    /**
     * Sends the acks one message owes, framed as configured; each frame waits while the session
     * holds its acks.
     *
     * @param s the session
     * @param messages the ack messages, in order
     */
    void acks(FakeSession s, List<String> messages) {
        for (FrameBatcher.AckFrame f : batcher.ackFrames(messages)) {
            s.sendAcks(f.text(), f.acks());
        }
    }

    /**
     * Drops a connection without a close frame (the client sees 1006), once the frames queued
     * before it (e.g. {@code auth_failed}) have reached the client or a second has passed.
     *
     * @param socket the socket
     */
    void abortAfterFlush(WebSocket socket) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        Runnable[] check = new Runnable[1];
        check[0] =
                () -> {
                    if (socket.hasBufferedData() && System.nanoTime() < deadline) {
                        timers.schedule(check[0], 5, TimeUnit.MILLISECONDS);
                    } else {
                        socket.closeConnection(1006, "aborted by fake server");
                    }
                };
        timers.schedule(check[0], 5, TimeUnit.MILLISECONDS);
    }

    /**
     * Streams a text message of {@code total} bytes in frames of {@code fragment} bytes to one
     * socket; see {@link OversizedMessage}.
     *
     * @param socket the socket
     * @param total the message's payload size
     * @param fragment each frame's payload size
     * @return the stream, started
     */
    OversizedMessage oversized(WebSocket socket, long total, long fragment) {
        OversizedMessage m =
                new OversizedMessage(
                        socket, () -> writeDemand.accept(socket), timers, total, fragment);
        m.start();
        return m;
    }
}
