package io.tickmux.transport.massive.internal;

import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;

/**
 * RFC 6455 with a limit on a whole message, not only on each frame. Java-WebSocket 1.6.0 checks
 * each frame's declared length against its limit as the header arrives, but collects the middle
 * frames of a fragmented message without a check and compares the total only when the last frame
 * arrives: a server could make the client hold a message of any size in fragments under the limit.
 * This draft counts a fragmented message's bytes frame by frame and fails it (1009, as
 * Java-WebSocket does for one frame) as soon as they pass the limit.
 *
 * <p>One per connection; used by its read thread only.
 */
final class BoundedDraft extends Draft_6455 {

    private final int limit;
    private long message;

    /**
     * @param limit the most bytes of one message, in one frame or in fragments together
     */
    BoundedDraft(int limit) {
        super(List.of(), limit);
        this.limit = limit;
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame)
            throws InvalidDataException {
        Opcode op = frame.getOpcode();
        if (op == Opcode.TEXT || op == Opcode.BINARY) {
            message = frame.isFin() ? 0 : frame.getPayloadData().remaining();
        } else if (op == Opcode.CONTINUOUS) {
            message += frame.getPayloadData().remaining();
            if (message > limit) {
                message = 0;
                throw new LimitExceededException("Message over the limit in fragments.", limit);
            }
        }
        super.processFrame(webSocketImpl, frame);
        if (op == Opcode.CONTINUOUS && frame.isFin()) {
            message = 0;
        }
    }

    @Override
    public Draft copyInstance() {
        return new BoundedDraft(limit);
    }

    @Override
    public void reset() {
        super.reset();
        message = 0;
    }
}
