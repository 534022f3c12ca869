package io.tickmux.fake;

import io.tickmux.fake.FakeMassiveServer.ConnectionRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;

/**
 * Every session the server accepted, in order, and the open ones by socket; the queries the
 * server's public methods answer from them. Thread-safe.
 */
final class SessionRegistry {

    private final Map<WebSocket, FakeSession> bySocket = new ConcurrentHashMap<>();
    private final List<FakeSession> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Clock clock;
    private final FrameSender sender;

    /**
     * @param clock when sessions open, authenticate and close
     * @param sender how sessions' frames reach their sockets
     */
    SessionRegistry(Clock clock, FrameSender sender) {
        this.clock = clock;
        this.sender = sender;
    }

    /**
     * A new session for a socket just accepted, numbered from 1.
     *
     * @param socket the socket
     * @param path the request path with its query
     * @return the session
     */
    FakeSession open(WebSocket socket, String path) {
        FakeSession s =
                new FakeSession(socket, nextId.incrementAndGet(), clock.instant(), clock, sender);
        bySocket.put(socket, s);
        s.path(path);
        all.add(s);
        return s;
    }

    /**
     * @param socket a socket
     * @return its session while it is open, else {@code null}
     */
    FakeSession of(WebSocket socket) {
        return bySocket.get(socket);
    }

    /**
     * Marks a socket's session closed.
     *
     * @param socket the socket
     * @param code the close code the server saw
     */
    void closed(WebSocket socket, int code) {
        FakeSession s = bySocket.remove(socket);
        if (s != null) {
            s.closed(code);
        }
    }

    /**
     * @return every session accepted, in order
     */
    List<FakeSession> all() {
        return List.copyOf(all);
    }

    /**
     * @return the sessions open and authenticated, oldest first
     */
    List<FakeSession> live() {
        List<FakeSession> out = new ArrayList<>();
        for (FakeSession s : all) {
            if (s.isOpen() && s.authenticated()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @param key an API key
     * @return the newest live session authenticated with it
     * @throws IllegalStateException when there is none
     */
    FakeSession newestLive(String key) {
        FakeSession found = null;
        for (FakeSession s : all) {
            if (s.isOpen() && s.authenticated() && key.equals(s.key())) {
                found = s;
            }
        }
        if (found == null) {
            throw new IllegalStateException("no live session authenticated with that key");
        }
        return found;
    }

    /**
     * @param ticker a ticker
     * @return the newest live session holding it on some channel, or {@code null}
     */
    FakeSession newestHolding(String ticker) {
        FakeSession found = null;
        for (FakeSession s : live()) {
            if (s.tickers().contains(ticker)) {
                found = s;
            }
        }
        return found;
    }

    /**
     * @return every session's record, in the order accepted
     */
    List<ConnectionRecord> connections() {
        List<ConnectionRecord> out = new ArrayList<>();
        for (FakeSession s : all) {
            out.add(s.record());
        }
        return out;
    }

    /**
     * @param key an API key
     * @return the most connections of the key any of its sessions saw open when it authenticated
     */
    int maxOpenWithKey(String key) {
        int max = 0;
        for (FakeSession s : all) {
            ConnectionRecord r = s.record();
            if (key.equals(r.key()) && r.authenticatedAt() != null) {
                max = Math.max(max, r.openWithKey());
            }
        }
        return max;
    }

    /**
     * @param ticker a ticker
     * @return its events sent, across every session
     */
    long sentCount(String ticker) {
        long n = 0;
        for (FakeSession s : all) {
            n += s.sentCount(ticker);
        }
        return n;
    }
}
