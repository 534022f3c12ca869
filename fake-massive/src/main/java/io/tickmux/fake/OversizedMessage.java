package io.tickmux.fake;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;

/**
 * A text message far larger than any client should accept, streamed by a hostile {@link
 * FakeMassiveServer}: frame headers that declare the whole size up front, then the payload in 64
 * KiB pieces handed to the socket only while fewer than four are waiting, so the server never holds
 * more than a quarter of a megabyte of it whatever size it declares. A client that enforces a frame
 * limit closes the socket after reading the first header; the stream stops when the socket closes,
 * and {@link #sent()} says how much the client was ever offered.
 *
 * <p>Thread-safe: it runs on the server's timer thread; the accessors may be read from any thread.
 */
public final class OversizedMessage {

    private static final int PIECE = 64 * 1024;
    private static final int MOST_QUEUED = 4;
    private static final byte[] SPACES = new byte[PIECE];

    static {
        Arrays.fill(SPACES, (byte) ' ');
    }

    private final WebSocket socket;
    private final Runnable writeDemand;
    private final ScheduledExecutorService timer;
    private final long total;
    private final long fragment;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean finished;
    private volatile boolean stopped;
    private long leftInFrame;
    private long offered;
    private boolean first = true;

    OversizedMessage(
            WebSocket socket,
            Runnable writeDemand,
            ScheduledExecutorService timer,
            long total,
            long fragment) {
        this.socket = socket;
        this.writeDemand = writeDemand;
        this.timer = timer;
        this.total = total;
        this.fragment = fragment;
    }

    void start() {
        timer.execute(this::pump);
    }

    /**
     * @return the size the message declares, in bytes of payload
     */
    public long declared() {
        return total;
    }

    /**
     * @return payload and header bytes handed to the socket so far
     */
    public long sent() {
        return sent.get();
    }

    /**
     * @return whether every byte was handed to the socket (a client without a limit read it all)
     */
    public boolean finished() {
        return finished;
    }

    /**
     * @return whether the stream stopped because the socket closed before the end
     */
    public boolean stopped() {
        return stopped;
    }

    private void pump() {
        try {
            offer();
        } catch (RuntimeException closedMeanwhile) {
            // e.g. the selection key was cancelled as the client closed: the stream is over
            stopped = true;
        }
    }

    private void offer() {
        WebSocketImpl impl = (WebSocketImpl) socket;
        while (!finished) {
            if (!socket.isOpen()) {
                stopped = true;
                return;
            }
            if (impl.outQueue.size() >= MOST_QUEUED) {
                break;
            }
            ByteBuffer next;
            if (leftInFrame == 0) {
                long size = Math.min(fragment, total - offered);
                boolean fin = offered + size == total;
                next = header(first, fin, size);
                first = false;
                leftInFrame = size;
            } else {
                int n = (int) Math.min(PIECE, leftInFrame);
                next = ByteBuffer.wrap(SPACES, 0, n);
                leftInFrame -= n;
                offered += n;
                if (offered == total && leftInFrame == 0) {
                    finished = true;
                }
            }
            impl.outQueue.add(next);
            sent.addAndGet(next.remaining());
            writeDemand.run();
        }
        if (!finished) {
            timer.schedule(this::pump, 1, TimeUnit.MILLISECONDS);
        }
    }

    /** A server frame header (unmasked) declaring {@code size} bytes of payload. */
    private static ByteBuffer header(boolean first, boolean fin, long size) {
        ByteBuffer b = ByteBuffer.allocate(10);
        int opcode = first ? 0x1 : 0x0; // text, then continuation
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (size <= 125) {
            b.put((byte) size);
        } else if (size <= 0xFFFF) {
            b.put((byte) 126);
            b.putShort((short) size);
        } else {
            b.put((byte) 127);
            b.putLong(size);
        }
        b.flip();
        return b;
    }
}
