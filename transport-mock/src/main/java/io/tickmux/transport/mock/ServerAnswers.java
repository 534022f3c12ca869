package io.tickmux.transport.mock;

import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.internal.ConnectPolicy;
import io.tickmux.transport.mock.internal.Disconnect;
import io.tickmux.transport.mock.internal.SubscriptionBook;
import io.tickmux.transport.mock.internal.SubscriptionBook.Reply;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a mock connection's server answers what the host sends: a connect attempt (accepted or
 * refused by the {@link ConnectPolicy}) and subscription messages (recorded, carried out by the
 * {@link SubscriptionBook}, acknowledged or refused). What the test scripts is {@link
 * ScriptedServer}. Runs on the wire thread; state is read and changed under the socket's lock, and
 * the host's listener is called outside it.
 */
final class ServerAnswers {

    private final MockSocket socket;
    private final SubscriptionBook book;
    private final ConnectPolicy policy;
    private final RecordedTraffic recorded;
    private final TransportListener listener;
    private final Function<String, String> sharedRefusal;

    /**
     * @param sharedRefusal the transport-wide refusal of a symbol, or {@code null}
     */
    ServerAnswers(
            MockSocket socket,
            SubscriptionBook book,
            ConnectPolicy policy,
            RecordedTraffic recorded,
            TransportListener listener,
            Function<String, String> sharedRefusal) {
        this.socket = socket;
        this.book = book;
        this.policy = policy;
        this.recorded = recorded;
        this.listener = listener;
        this.sharedRefusal = sharedRefusal;
    }

    /** Answers the host's connect attempt, if it is still connecting. */
    void answerConnect() {
        Optional<Disconnect> refusal;
        synchronized (socket) {
            if (!socket.isConnecting()) {
                return;
            }
            refusal = policy.answer();
            if (refusal.isEmpty()) {
                socket.open();
            }
        }
        if (refusal.isEmpty()) {
            listener.onConnected();
        } else {
            socket.end(refusal.get());
        }
    }

    /** Carries out one subscription message, if the socket is open. */
    void answerChange(boolean subscribe, List<String> symbols) {
        List<Reply> replies;
        synchronized (socket) {
            if (!socket.isOpen()) {
                return; // sent on a dead socket: lost, like the real thing
            }
            recorded.recordChange(subscribe, symbols);
            replies =
                    subscribe ? book.subscribe(symbols, sharedRefusal) : book.unsubscribe(symbols);
        }
        replies.forEach(r -> r.deliverTo(listener));
    }
}
