package io.tickmux.spi.event;

import static java.util.Objects.requireNonNull;

import io.tickmux.routing.ConnectionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Something about the feed itself rather than the market: a connection changed state, the server
 * said something, a subscription was refused, tickers moved, or data was lost. Delivered to {@link
 * io.tickmux.spi.event.StatusListener}. Immutable and thread-safe.
 */
public sealed interface StatusEvent {

    /**
     * When the host observed the event.
     *
     * @return never {@code null}
     */
    Instant at();

    /**
     * A connection moved from one state to another.
     *
     * @param connectionId the connection's id
     * @param from the previous state
     * @param to the new state
     * @param cause why, in words a person on call can act on (e.g. {@code "abort (1006): connection
     *     reset"}); never {@code null}
     * @param at when
     */
    record ConnectionStateChanged(
            String connectionId, ConnectionState from, ConnectionState to, String cause, Instant at)
            implements StatusEvent {
        public ConnectionStateChanged {
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(cause, "cause is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * A status message from the server that is not a routine acknowledgement (for example {@code
     * error: not authorized} or {@code max_connections}).
     *
     * @param connectionId the connection it arrived on
     * @param status the server's status word
     * @param message the server's message
     * @param at when
     */
    record ServerStatus(String connectionId, String status, String message, Instant at)
            implements StatusEvent {
        public ServerStatus {
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(status, "status is null");
            message = message == null ? "" : message;
            requireNonNull(at, "at is null");
        }
    }

    /**
     * A ticker could not be subscribed.
     *
     * @param symbol the ticker
     * @param connectionId the connection it was meant for; empty when no connection could take it
     * @param reason why, and what to do about it
     * @param at when
     */
    record SubscriptionRefused(String symbol, String connectionId, String reason, Instant at)
            implements StatusEvent {
        public SubscriptionRefused {
            requireNonNull(symbol, "symbol is null");
            connectionId = connectionId == null ? "" : connectionId;
            requireNonNull(reason, "reason is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * Tickers moved from one connection to another (a rebalance, a removed connection, a failover).
     *
     * @param fromConnection the connection they left
     * @param toConnection the connection they joined
     * @param symbols the tickers; never empty, copied
     * @param cause why they moved
     * @param at when
     */
    record TickersMoved(
            String fromConnection,
            String toConnection,
            List<String> symbols,
            String cause,
            Instant at)
            implements StatusEvent {
        public TickersMoved {
            requireNonNull(fromConnection, "fromConnection is null");
            requireNonNull(toConnection, "toConnection is null");
            symbols = List.copyOf(symbols);
            requireNonNull(cause, "cause is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * A span of time in which events for a ticker may have been lost and were not recovered. The
     * feed has no replay; a gap is how tickmux says so instead of claiming no loss.
     *
     * @param symbol the ticker
     * @param connectionId the connection that was carrying it
     * @param from start of the uncovered span
     * @param to end of the uncovered span
     * @param cause why (e.g. {@code "reconnect after abort (1006)"})
     * @param at when the gap was detected
     */
    record Gap(
            String symbol, String connectionId, Instant from, Instant to, String cause, Instant at)
            implements StatusEvent {
        public Gap {
            requireNonNull(symbol, "symbol is null");
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(cause, "cause is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * What a backfill hook made of a {@link Gap}: the events it recovered were delivered to {@link
     * io.tickmux.spi.event.TickListener#onBackfill} before this event is published. Published only
     * when a hook is configured, once per gap.
     *
     * @param symbol the gap's ticker
     * @param connectionId the connection that was carrying it
     * @param from start of the gap
     * @param to end of the gap
     * @param outcome filled, partly filled or unfilled
     * @param events recovered events delivered to the listener
     * @param duplicates recovered events dropped because the listener had them live already (the
     *     gap's edges)
     * @param pages pages (requests that returned data) the hook fetched
     * @param took how long the hook worked on the gap, waiting included
     * @param detail what was left out and why, in words a person on call can act on (e.g. {@code
     *     "gap older than max-age 1h"}); empty when filled
     * @param at when the backfill ended
     */
    record Backfill(
            String symbol,
            String connectionId,
            Instant from,
            Instant to,
            Outcome outcome,
            long events,
            long duplicates,
            int pages,
            Duration took,
            String detail,
            Instant at)
            implements StatusEvent {

        /** What became of a gap. */
        public enum Outcome {
            /** Everything the source had for the gap's span was fetched and delivered. */
            FILLED,
            /**
             * Some of it was delivered, then the budget, an error or the source's limits stopped.
             */
            PARTLY_FILLED,
            /**
             * Nothing was recovered: too old, too large, the budget was spent, or the source
             * failed.
             */
            UNFILLED
        }

        public Backfill {
            requireNonNull(symbol, "symbol is null");
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(took, "took is null");
            detail = detail == null ? "" : detail;
            requireNonNull(at, "at is null");
        }
    }

    /**
     * A ticker has been silent much longer than its own rate predicts, during market hours; or it
     * was acknowledged and never heard from (an unknown symbol is acknowledged, then silent).
     *
     * @param symbol the ticker
     * @param connectionId the connection carrying it
     * @param silentFor how long nothing arrived
     * @param expectedEvery its usual interval (1 / its decaying rate); zero when never measured
     * @param at when it was detected
     */
    record Stale(
            String symbol,
            String connectionId,
            Duration silentFor,
            Duration expectedEvery,
            Instant at)
            implements StatusEvent {
        public Stale {
            requireNonNull(symbol, "symbol is null");
            requireNonNull(connectionId, "connectionId is null");
            requireNonNull(silentFor, "silentFor is null");
            requireNonNull(expectedEvery, "expectedEvery is null");
            requireNonNull(at, "at is null");
        }
    }
}
