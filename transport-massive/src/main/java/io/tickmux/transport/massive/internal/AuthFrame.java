package io.tickmux.transport.massive.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.framing.TextFrame;

/**
 * The auth message as a text frame whose {@link #toString()} hides the payload: Java-WebSocket logs
 * every frame it sends at TRACE with {@code toString()}, and this frame carries the API key.
 */
final class AuthFrame extends TextFrame {

    AuthFrame(String json) {
        setPayload(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        setFin(true);
    }

    @Override
    public String toString() {
        return "AuthFrame{payload hidden}";
    }
}
