package io.tickmux.transport.massive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;

/**
 * RFC 6455 as Java-WebSocket's {@link Draft_6455}, with three changes for the feed:
 *
 * <ul>
 *   <li><b>A limit on a whole message</b>, not only on each frame. Java-WebSocket 1.6.0 checks each
 *       frame's declared length against its limit as the header arrives, but collects the middle
 *       frames of a fragmented message without a check and compares the total only when the last
 *       frame arrives: a server could make the client hold a message of any size in fragments under
 *       the limit. This draft counts a fragmented message's bytes frame by frame and fails it
 *       (1009, as Java-WebSocket does for one frame) as soon as they pass the limit.
 *   <li><b>Its own frame splitter</b> ({@link #translateFrame}): the same checks as Java-WebSocket
 *       (opcodes, reserved bits, control frames of at most 125 bytes, the frame limit as the header
 *       arrives), but a text frame's UTF-8 is checked eight bytes at a time while they are ASCII
 *       ({@link #validUtf8}) instead of byte by byte through a lookup table, which took about a
 *       third of the read thread's time on a full feed. Invalid UTF-8 still closes with 1007.
 *   <li><b>A text message in one frame reaches {@link TextBytes} as bytes</b>, not decoded into a
 *       {@code String}: the frame parser reads the bytes. Fragmented messages, binary and control
 *       frames take Java-WebSocket's own path.
 * </ul>
 *
 * <p>One per connection (Java-WebSocket copies it per socket with {@link #copyInstance()}); used by
 * its read thread only.
 */
final class BoundedDraft extends Draft_6455 {

    /** Receives the payload of each text message that arrived in one frame. */
    interface TextBytes {
        /**
         * @param payload the message's UTF-8 bytes, checked; a heap buffer this call may keep
         */
        void onText(ByteBuffer payload);
    }

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int MAX_HEADER = 14;

    private final int limit;
    private final TextBytes text;
    private long message;
    private boolean fragmented;

    /** The start of a frame a read ended in, kept until the rest arrives; reused. */
    private byte[] partial = new byte[0];

    private int partialLength;

    /**
     * @param limit the most bytes of one message, in one frame or in fragments together
     * @param text receives single-frame text messages as bytes; null to have them decoded and
     *     passed to {@code onMessage(String)} as Java-WebSocket does
     */
    BoundedDraft(int limit, TextBytes text) {
        super(List.of(), limit);
        this.limit = limit;
        this.text = text;
    }

    /**
     * @param limit the most bytes of one message, in one frame or in fragments together
     */
    BoundedDraft(int limit) {
        this(limit, null);
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame)
            throws InvalidDataException {
        Opcode op = frame.getOpcode();
        if (op == Opcode.TEXT && frame.isFin() && !fragmented && text != null) {
            try {
                text.onText(frame.getPayloadData());
            } catch (RuntimeException e) {
                webSocketImpl.getWebSocketListener().onWebsocketError(webSocketImpl, e);
            }
            return;
        }
        if (op == Opcode.TEXT || op == Opcode.BINARY) {
            message = frame.isFin() ? 0 : frame.getPayloadData().remaining();
            fragmented = !frame.isFin();
        } else if (op == Opcode.CONTINUOUS) {
            message += frame.getPayloadData().remaining();
            if (message > limit) {
                message = 0;
                fragmented = false;
                throw new LimitExceededException("Message over the limit in fragments.", limit);
            }
        }
        super.processFrame(webSocketImpl, frame);
        if (op == Opcode.CONTINUOUS && frame.isFin()) {
            message = 0;
            fragmented = false;
        }
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        List<Framedata> frames = new ArrayList<>(4);
        while (partialLength > 0) {
            int needed = needed(ByteBuffer.wrap(partial, 0, partialLength));
            if (partialLength >= needed) {
                frames.add(frame(ByteBuffer.wrap(partial, 0, partialLength)));
                partialLength = 0;
                break;
            }
            int take = Math.min(needed - partialLength, buffer.remaining());
            keep(buffer, take, needed);
            if (partialLength < needed) {
                return frames; // the read ended inside the frame: wait for more
            }
        }
        while (buffer.hasRemaining()) {
            int needed = needed(buffer);
            if (buffer.remaining() < needed) {
                keep(buffer, buffer.remaining(), needed);
                break;
            }
            frames.add(frame(buffer));
        }
        return frames;
    }

    /** Appends {@code n} bytes of {@code buffer} to the partial frame, which needs {@code size}. */
    private void keep(ByteBuffer buffer, int n, int size) {
        if (partial.length < size) {
            byte[] grown =
                    new byte[Math.max(size, Math.min(2 * partial.length, limit + MAX_HEADER))];
            System.arraycopy(partial, 0, grown, 0, partialLength);
            partial = grown;
        }
        buffer.get(partial, partialLength, n);
        partialLength += n;
    }

    /**
     * How many bytes the frame starting at {@code b}'s position needs, as far as its header tells
     * (2 while not even the first two bytes are there, the header's length while it is incomplete).
     * Does not move {@code b}.
     *
     * @throws LimitExceededException when the frame's payload is over the limit
     * @throws InvalidFrameException when a control frame is over 125 bytes
     */
    private int needed(ByteBuffer b) throws InvalidDataException {
        int at = b.position();
        int have = b.remaining();
        if (have < 2) {
            return 2;
        }
        int b1 = b.get(at);
        int b2 = b.get(at + 1);
        int len7 = b2 & 0x7F;
        int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b2 & 0x80) != 0 ? 4 : 0);
        int opcode = b1 & 0x0F;
        if (opcode >= 8 && len7 > 125) {
            throw new InvalidFrameException("more than 125 octets");
        }
        if (have < header) {
            return header;
        }
        long length =
                len7 == 126 ? b.getShort(at + 2) & 0xFFFF : len7 == 127 ? b.getLong(at + 2) : len7;
        if (length > Integer.MAX_VALUE || length < 0) {
            throw new LimitExceededException("Payloadsize is to big...");
        }
        if (length > limit) {
            throw new LimitExceededException("Payload limit reached.", limit);
        }
        return header + (int) length;
    }

    /** Reads one whole frame at {@code b}'s position (its size checked by {@link #needed}). */
    private Framedata frame(ByteBuffer b) throws InvalidDataException {
        byte b1 = b.get();
        byte b2 = b.get();
        Opcode opcode = opcode(b1 & 0x0F);
        int len7 = b2 & 0x7F;
        int length = len7 == 126 ? b.getShort() & 0xFFFF : len7 == 127 ? (int) b.getLong() : len7;
        byte[] payload = new byte[length];
        if ((b2 & 0x80) != 0) {
            byte[] key = new byte[4];
            b.get(key);
            b.get(payload);
            for (int i = 0; i < length; i++) {
                payload[i] ^= key[i & 3];
            }
        } else {
            b.get(payload);
        }
        FramedataImpl1 frame = FramedataImpl1.get(opcode);
        frame.setFin((b1 & 0x80) != 0);
        frame.setRSV1((b1 & 0x40) != 0);
        frame.setRSV2((b1 & 0x20) != 0);
        frame.setRSV3((b1 & 0x10) != 0);
        frame.setPayload(ByteBuffer.wrap(payload));
        IExtension extension = getExtension(); // none negotiated: refuses reserved bits
        extension.isFrameValid(frame);
        extension.decodeFrame(frame);
        if (opcode == Opcode.TEXT) {
            // a fragment may end inside a character: fragments are checked as a whole message
            if (frame.isFin() && !validUtf8(payload, 0, length)) {
                throw new InvalidDataException(
                        CloseFrame.NO_UTF8, "Received text is no valid utf8 string!");
            }
        } else {
            frame.isValid();
        }
        return frame;
    }

    private static Opcode opcode(int code) throws InvalidFrameException {
        return switch (code) {
            case 0 -> Opcode.CONTINUOUS;
            case 1 -> Opcode.TEXT;
            case 2 -> Opcode.BINARY;
            case 8 -> Opcode.CLOSING;
            case 9 -> Opcode.PING;
            case 10 -> Opcode.PONG;
            default -> throw new InvalidFrameException("Unknown opcode " + code);
        };
    }

    /**
     * Whether {@code a[from, to)} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
     * nothing above U+10FFFF). ASCII runs are checked eight bytes at a time.
     */
    static boolean validUtf8(byte[] a, int from, int to) {
        int i = from;
        while (i < to) {
            while (i + 8 <= to && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i == to) {
                break;
            }
            int c = a[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (i + more >= to) {
                return false; // the text ends inside the character
            }
            int second = a[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= more; k++) {
                if ((a[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += more + 1;
        }
        return true;
    }

    @Override
    public Draft copyInstance() {
        return new BoundedDraft(limit, text);
    }

    @Override
    public void reset() {
        super.reset();
        message = 0;
        fragmented = false;
        partialLength = 0;
    }
}
