package io.tickmux.fake;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket server underneath: binds the port (with TLS when asked), gives each accepted
 * socket a session, and hands every text frame to the {@link ProtocolHandler} on its one decoder
 * thread, so a session's messages are handled in the order sent. Answers pings unless the session
 * is muted. Thread-safe.
 */
final class WebSocketGlue extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketGlue.class);

    private final SessionRegistry sessions;
    private final ProtocolHandler protocol;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    /**
     * @param address where to listen
     * @param sessions where sessions are kept
     * @param protocol handles what clients send
     */
    WebSocketGlue(InetSocketAddress address, SessionRegistry sessions, ProtocolHandler protocol) {
        super(address, 1);
        this.sessions = sessions;
        this.protocol = protocol;
    }

    /**
     * Starts listening and waits until the port is bound.
     *
     * @param tls the server's TLS context, or {@code null} to serve plain {@code ws://}
     * @throws IllegalStateException when the server could not start within 10 seconds
     */
    void startAndAwait(SSLContext tls) {
        setReuseAddr(true);
        setConnectionLostTimeout(0);
        if (tls != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake Massive server did not start within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        if (startFailure != null) {
            throw new IllegalStateException(
                    "fake Massive server could not start on "
                            + getAddress().getHostString()
                            + ":"
                            + getAddress().getPort()
                            + ": "
                            + startFailure.getMessage(),
                    startFailure);
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        String path = handshake.getResourceDescriptor();
        protocol.opened(sessions.open(conn, path), path);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        FakeSession s = sessions.of(conn);
        if (s != null) {
            protocol.onText(s, message);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        sessions.closed(conn, code);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
        } else {
            LOG.debug("fake server session error: {}", ex.toString());
        }
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        FakeSession s = sessions.of(conn);
        if (s == null || !s.muted()) {
            super.onWebsocketPing(conn, f);
        }
    }
}
