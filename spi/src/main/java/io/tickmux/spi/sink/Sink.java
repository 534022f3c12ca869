package io.tickmux.spi.sink;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import java.util.List;

/**
 * Publishes the feed somewhere outside the process (a message bus, a store): every accepted market
 * event, chunk by chunk, and every status event (state changes, moves, gaps). Made by a {@link
 * SinkFactory}; started and closed by the host (the app module's {@code Sinks}).
 *
 * <p>The rules a sink keeps, because it sits on the data path:
 *
 * <ul>
 *   <li>{@link #onEvents} never blocks: it copies references into a bounded buffer of its own and
 *       publishes from its own named thread. When the buffer is full it applies its {@link
 *       SinkOverflow} policy, counts every drop and reports it as a {@link StatusEvent.Gap} for the
 *       affected ticker ({@link SinkContext#reportGap}, and on its own bus).
 *   <li>{@link #onStatus} never blocks either (it runs on the manager's status thread).
 *   <li>It has meters ({@code tickmux.sink.*}, tagged {@code sink=<name>}) and {@link #health()}.
 *   <li>No secret (the API key, its own credentials) appears in what it publishes or logs.
 * </ul>
 */
public interface Sink extends EventSink, StatusListener, AutoCloseable {

    /**
     * @return the factory's name, e.g. {@code nats}; used in meter tags and logs
     */
    String name();

    /**
     * Connects and prepares the destination (creates or checks a stream, say) and starts the sink's
     * publishing thread. Called once by the host, before the manager connects; events that arrive
     * earlier are buffered.
     *
     * @throws Exception when the destination cannot be reached or is misconfigured; the message
     *     says what to fix (and never contains a secret)
     */
    void start() throws Exception;

    /**
     * Called on a connection's read thread, one call at a time per connection and concurrently for
     * different connections. Must not block.
     *
     * @param connectionId the connection the events arrived on
     * @param events accepted events of one chunk, in wire order; never empty; valid only during the
     *     call (the list is reused), the events themselves are immutable
     */
    @Override
    void onEvents(String connectionId, List<MarketEvent> events);

    /**
     * Called on the manager's status thread for every status event. Must not block.
     *
     * @param event never {@code null}
     */
    @Override
    void onStatus(StatusEvent event);

    /**
     * A snapshot of the sink's state and counters. Thread-safe; cheap enough for a health page.
     *
     * @return never {@code null}
     */
    SinkHealth health();

    /**
     * Stops accepting events, publishes what is buffered for at most the sink's own close timeout,
     * then releases its connection and thread. Idempotent. Whatever could not be published is
     * counted as dropped and logged.
     */
    @Override
    void close();

    /**
     * Fences the sink: from now on it publishes only while {@code fence} is valid, and stamps its
     * messages with the fence's epoch where its format allows (the NATS sink: header {@code
     * Tickmux-Epoch} and field {@code epoch}). Called by the host before {@link #start()}. Once the
     * fence is invalid the sink discards what it holds (counted in {@code
     * tickmux.sink.dropped{reason=fenced}}) and publishes nothing more. The default ignores it: a
     * sink that cannot be fenced must not be used by a gateway pair.
     *
     * @param fence the fence; {@link Fence#NONE} for none
     */
    default void fence(Fence fence) {}

    /**
     * The receipt time (Unix ns) up to which the destination has acknowledged every event: all
     * events received before it are published. A gateway pair writes it into its lease, so a
     * successor's switchover gap starts early enough. The default is {@code -1}: unknown.
     *
     * @return Unix ns, or -1 when the sink cannot tell
     */
    default long publishedThroughNanos() {
        return -1;
    }
}
