package io.tickmux.core.internal;

import static io.tickmux.routing.config.StrictConfig.kebab;

import io.tickmux.routing.TickerView;
import io.tickmux.spi.event.StatusEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Subscribing a ticker: routed (the router's choice, see {@link TickerBook#select}) or onto a named
 * connection (which moves it there if it is elsewhere). A subscription that cannot be placed is
 * refused with a {@link StatusEvent.SubscriptionRefused} naming the reason and the fix. Under the
 * manager's lock; the caller flushes.
 */
final class Subscriptions {

    private final ManagerState m;
    private final TickerBook book;
    private final Function<String, TickerView> metadata;

    Subscriptions(ManagerState m, TickerBook book, Function<String, TickerView> metadata) {
        this.m = m;
        this.book = book;
        this.metadata = metadata;
    }

    boolean routed(String symbol) {
        if (book.get(symbol) != null) {
            return true;
        }
        TickerView view = viewOf(symbol);
        Optional<TickerBook.Choice> choice = book.select(view);
        if (choice.isEmpty()) {
            refuse(symbol, "", m.router.explainRefusal(view, m.views()));
            return false;
        }
        TickerEntry e = book.add(view, choice.get().target(), isCritical(symbol));
        e.home = choice.get().home();
        return true;
    }

    boolean on(String symbol, String connectionId) {
        TickerEntry existing = book.get(symbol);
        ManagedConnection target = m.connections.get(connectionId);
        if (target == null) {
            refuse(
                    symbol,
                    connectionId,
                    "unknown connection '"
                            + connectionId
                            + "': known are "
                            + m.connections.keySet());
            return false;
        }
        if (existing != null && existing.owner == target) {
            return true;
        }
        if (!target.state.isRoutable()) {
            refuse(symbol, connectionId, "connection is " + kebab(target.state));
            return false;
        }
        boolean carries = existing != null && existing.heldBy(target);
        if (!carries && target.ledger.size() >= target.def.capacity()) {
            refuse(
                    symbol,
                    connectionId,
                    "connection is full ("
                            + target.def.capacity()
                            + " tickers): raise its capacity or pick another");
            return false;
        }
        if (existing == null) {
            book.add(viewOf(symbol), target, isCritical(symbol));
            return true;
        }
        String from = existing.owner.id;
        book.move(existing, target, "moved by the application");
        m.publish(
                new StatusEvent.TickersMoved(
                        from, target.id, List.of(symbol), "moved by the application", m.now()));
        return true;
    }

    private boolean isCritical(String symbol) {
        return m.settings.criticalTickers().contains(symbol);
    }

    private TickerView viewOf(String symbol) {
        TickerView v = metadata.apply(symbol);
        return v != null && v.symbol().equals(symbol) ? v : TickerView.of(symbol);
    }

    private void refuse(String symbol, String connectionId, String reason) {
        ManagerState.LOG.warn(
                "subscription of {}{} refused: {}",
                symbol,
                connectionId.isEmpty() ? "" : " on " + connectionId,
                reason);
        m.publish(new StatusEvent.SubscriptionRefused(symbol, connectionId, reason, m.now()));
    }
}
