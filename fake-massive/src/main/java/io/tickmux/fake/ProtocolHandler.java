package io.tickmux.fake;

import io.tickmux.fake.FakeMassiveServer.EvictionClose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of the handshake and of the control messages (reference §2, §3): the {@code
 * connected} greeting and the auth timeout of a new socket; {@code auth} answered by the {@link
 * KeyPolicy} and counted against the {@link ConnectionCap}, whose oldest connection past the cap is
 * evicted; {@code subscribe} and {@code unsubscribe} acted on topic by topic as the {@link
 * TopicPolicy} says, with one ack per topic acted on. A session's messages are handled in order,
 * pipelined or not. Thread-safe.
 */
final class ProtocolHandler {

    private final KeyPolicy keys;
    private final TopicPolicy topics;
    private final ConnectionCap<FakeSession> cap;
    private final EvictionClose evictionClose;
    private final FrameSender sender;
    private final ScheduledExecutorService timers;
    private final Duration authTimeout;

    /**
     * @param keys which keys authenticate
     * @param topics what becomes of each topic
     * @param cap the connection cap per key
     * @param evictionClose how a connection evicted by the cap is closed
     * @param sender sends acks
     * @param timers the server's timer thread, for auth timeouts
     * @param authTimeout how long a socket may stay without an {@code auth} message
     */
    ProtocolHandler(
            KeyPolicy keys,
            TopicPolicy topics,
            ConnectionCap<FakeSession> cap,
            EvictionClose evictionClose,
            FrameSender sender,
            ScheduledExecutorService timers,
            Duration authTimeout) {
        this.keys = keys;
        this.topics = topics;
        this.cap = cap;
        this.evictionClose = evictionClose;
        this.sender = sender;
        this.timers = timers;
        this.authTimeout = authTimeout;
    }

    /**
     * Greets a socket just accepted, or closes it when its path is not a market this server serves,
     * and gives it until the auth timeout to authenticate.
     *
     * @param s its session
     * @param path the request path with its query
     */
    void opened(FakeSession s, String path) {
        if (!path.startsWith("/stocks")) {
            s.close(1008, "unknown market path " + path + ": use /stocks");
            return;
        }
        s.send(EventJson.status("connected", "Connected Successfully"));
        timers.schedule(
                () -> {
                    if (s.isOpen() && s.key() == null) {
                        s.send(
                                EventJson.status(
                                        "auth_timeout", "No authentication request received."));
                        s.close(1008, "auth_timeout");
                    }
                },
                authTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Handles one text frame from a client.
     *
     * @param s its session
     * @param text the frame
     */
    void onText(FakeSession s, String text) {
        Optional<ControlMessage> parsed = ControlMessage.parse(text);
        if (parsed.isEmpty()) {
            s.send(EventJson.status("error", "invalid message"));
            return;
        }
        ControlMessage m = parsed.get();
        switch (m.action()) {
            case "auth" -> onAuth(s, m.params());
            case "subscribe" -> onTopics(s, true, m.params());
            case "unsubscribe" -> onTopics(s, false, m.params());
            default -> s.send(EventJson.status("error", "unknown action"));
        }
    }

    private void onAuth(FakeSession s, String key) {
        if (s.authenticated()) {
            return;
        }
        s.keyTried(key);
        switch (keys.onSocket(key)) {
            case UNENTITLED -> {
                s.send(
                        EventJson.status(
                                "auth_failed",
                                "Your plan doesn't include websocket access. Visit"
                                        + " https://massive.com/pricing to upgrade."));
                s.abort();
            }
            case FAILED -> {
                s.send(EventJson.status("auth_failed", "authentication failed"));
                s.abort();
            }
            case ACCEPTED -> {
                s.authenticated(key);
                s.send(EventJson.status("auth_success", "authenticated"));
                ConnectionCap.Admission<FakeSession> a = cap.admit(key, s);
                s.openWithKey(a.openWithKey());
                FakeSession oldest = a.evicted();
                if (oldest != null) {
                    oldest.markEvicted();
                    oldest.evict(evictionClose);
                }
            }
        }
    }

    private void onTopics(FakeSession s, boolean subscribe, String params) {
        if (!s.authenticated()) {
            s.send(EventJson.status("auth_required", "authentication required"));
            return;
        }
        List<String> acks = new ArrayList<>();
        boolean notAuthorized = false;
        for (String raw : params.split(",")) {
            String topic = raw.trim();
            switch (topics.classify(topic)) {
                case UNKNOWN -> {
                    // dropped silently, as the real server does
                }
                case NOT_AUTHORIZED -> notAuthorized = true;
                case ACCEPTED -> {
                    if (subscribe) {
                        if (s.addTopic(topic)) {
                            acks.add("subscribed to: " + topic);
                        }
                    } else {
                        s.removeTopic(topic);
                        acks.add("unsubscribed to: " + topic);
                    }
                }
            }
        }
        sender.acks(s, acks);
        if (notAuthorized) {
            s.send(EventJson.status("error", "not authorized"));
        }
    }
}
