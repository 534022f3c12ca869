package io.tickmux.transport.replay.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import java.util.List;
import java.util.Set;

/**
 * One entry of a recording: a call a transport made to its host, a call the host made to the
 * transport, or a bookkeeping entry of the recorder. {@code nanos} is the receive time on the
 * recorder's monotonic clock (the clock the transports read, {@link System#nanoTime()}); a file's
 * header maps it to Unix time.
 */
public sealed interface Entry {

    /**
     * @return the connection's id ({@code ""} for bookkeeping entries of no connection)
     */
    String connectionId();

    /**
     * @return when the recorder received it, monotonic nanoseconds
     */
    long nanos();

    // ------------------------------------------------ what the transport reported (replayed)

    /** {@code onConnected}. */
    record Connected(String connectionId, long nanos) implements Entry {}

    /** {@code onDisconnected}. */
    record Disconnected(
            String connectionId, long nanos, DisconnectReason reason, int closeCode, String detail)
            implements Entry {}

    /** {@code onEvents}: one chunk, as the transport handed it over. */
    record Events(String connectionId, long nanos, List<MarketEvent> events) implements Entry {}

    /** {@code onAck}. */
    record Ack(String connectionId, long nanos, String symbol, boolean subscribed)
            implements Entry {}

    /** {@code onRejected}. */
    record Rejected(String connectionId, long nanos, String symbol, String reason)
            implements Entry {}

    /** {@code onAckTimeout}. */
    record AckTimeout(String connectionId, long nanos, String symbol, String detail)
            implements Entry {}

    /** {@code onServerStatus}. */
    record ServerStatus(String connectionId, long nanos, String status, String message)
            implements Entry {}

    /** {@code onError}. */
    record Error(String connectionId, long nanos, String kind, String detail) implements Entry {}

    // ------------------------------------------------ what the host asked (for the record)

    /** A call the host made: {@code connect}, {@code subscribe}, {@code unsubscribe}, ... */
    record Command(String connectionId, long nanos, CommandKind kind, List<String> symbols)
            implements Entry {}

    /** The host's calls. */
    enum CommandKind {
        /** {@code connect()}. */
        CONNECT,
        /** {@code subscribe(symbols)}. */
        SUBSCRIBE,
        /** {@code unsubscribe(symbols)}. */
        UNSUBSCRIBE,
        /** {@code abort()}. */
        ABORT,
        /** {@code close()}. */
        CLOSE
    }

    // ------------------------------------------------ bookkeeping

    /**
     * A connection's state when a file began (every file after a rotation starts with one per known
     * connection), so a file played on its own knows which connections were up and what they held.
     */
    record State(String connectionId, long nanos, boolean connected, Set<String> acked)
            implements Entry {}

    /** The recorder's buffer was full: this many entries before this point were not recorded. */
    record Dropped(String connectionId, long nanos, long count) implements Entry {}
}
