package io.tickmux.core;

import static java.util.Objects.requireNonNull;

/**
 * One ticker moved from one connection to another.
 *
 * @param symbol the ticker
 * @param fromConnection the connection it left
 * @param toConnection the connection it joined
 */
public record Move(String symbol, String fromConnection, String toConnection) {
    public Move {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(fromConnection, "fromConnection is null");
        requireNonNull(toConnection, "toConnection is null");
    }
}
