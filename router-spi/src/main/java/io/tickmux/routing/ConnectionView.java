package io.tickmux.routing;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * What a router knows of one connection at the moment it is asked to route.
 *
 * <p>A snapshot: immutable and thread-safe, and not updated afterwards.
 *
 * @param id the connection's stable id, unique within the host (e.g. {@code connection_1}); never
 *     blank
 * @param name a human name such as {@code primary}; never {@code null}, may equal the id
 * @param state the life-cycle state; route only onto {@link ConnectionState#isRoutable() routable}
 *     connections
 * @param tickerCount how many tickers are assigned to the connection now
 * @param capacity how many tickers the connection may hold; {@link Integer#MAX_VALUE} when
 *     unbounded
 * @param tickerRates measured message rate per assigned ticker, in messages per second (a decaying
 *     average); a ticker with no measurement yet is absent; never {@code null}, copied
 * @param tags free-form labels from configuration (e.g. {@code low-latency}); never {@code null},
 *     copied
 */
public record ConnectionView(
        String id,
        String name,
        ConnectionState state,
        int tickerCount,
        int capacity,
        Map<String, Double> tickerRates,
        Set<String> tags) {

    public ConnectionView {
        requireNonNull(id, "id is null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        name = name == null ? id : name;
        requireNonNull(state, "state is null");
        if (tickerCount < 0) {
            throw new IllegalArgumentException("tickerCount is negative: " + tickerCount);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is negative: " + capacity);
        }
        tickerRates = tickerRates == null ? Map.of() : Map.copyOf(tickerRates);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    /**
     * Whether a router may place one more ticker here: the state is routable and the connection is
     * below capacity.
     *
     * @return {@code true} when one more ticker fits
     */
    public boolean canAccept() {
        return state.isRoutable() && tickerCount < capacity;
    }

    /**
     * This view with another ticker count, everything else the same: what a router or the host uses
     * to count placements it has made but the host has not carried out yet.
     *
     * @param count the ticker count of the copy; not negative
     * @return a new view, or this one when the count is unchanged
     */
    public ConnectionView withTickerCount(int count) {
        return count == tickerCount
                ? this
                : new ConnectionView(id, name, state, count, capacity, tickerRates, tags);
    }

    /**
     * The summed measured message rate of the tickers on this connection.
     *
     * @return messages per second; {@code 0} when nothing has been measured
     */
    public double load() {
        double sum = 0;
        for (double rate : tickerRates.values()) {
            sum += rate;
        }
        return sum;
    }
}
