package io.tickmux.routing;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * What a router knows of one ticker.
 *
 * <p>Immutable and thread-safe. {@code tier} and {@code sector} are empty strings when unknown,
 * never {@code null}.
 *
 * @param symbol the ticker symbol as the feed spells it, e.g. {@code AAPL} or {@code BRK.A}; never
 *     blank
 * @param tier a priority tier such as {@code premium} or {@code 1}; empty when none is known
 * @param sector a sector name such as {@code technology}; empty when none is known
 * @param tags free-form labels (e.g. {@code critical}); never {@code null}, copied
 */
public record TickerView(String symbol, String tier, String sector, Set<String> tags) {

    public TickerView {
        requireNonNull(symbol, "symbol is null");
        if (symbol.isBlank()) {
            throw new IllegalArgumentException("symbol is blank");
        }
        tier = tier == null ? "" : tier;
        sector = sector == null ? "" : sector;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    /**
     * A ticker with no tier, sector or tags.
     *
     * @param symbol the ticker symbol; never blank
     * @return a new view
     */
    public static TickerView of(String symbol) {
        return new TickerView(symbol, "", "", Set.of());
    }

    /**
     * The tier, when one is known.
     *
     * @return the tier, or empty
     */
    public Optional<String> tierIfKnown() {
        return tier.isEmpty() ? Optional.empty() : Optional.of(tier);
    }

    /**
     * The sector, when one is known.
     *
     * @return the sector, or empty
     */
    public Optional<String> sectorIfKnown() {
        return sector.isEmpty() ? Optional.empty() : Optional.of(sector);
    }
}
