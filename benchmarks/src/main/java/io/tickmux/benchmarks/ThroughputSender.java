package io.tickmux.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.FramedataImpl1;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The {@link ThroughputHarness}'s sender, in a JVM of its own: the Massive handshake (connected,
 * auth_success, one ack per topic), then the socket's {@link Workload} frames as fast as the socket
 * drains. It keeps at most 8 frames queued per socket and parks rather than spins, so the receiver
 * sets the pace. Frames are pre-encoded; a mixed frame gets its sequence numbers written in place
 * before each send.
 *
 * <p>Commands on stdin: {@code stop} ends every stream, waits for their queues to drain and prints
 * {@code sent <trades> <quotes> <checksum>}, the totals since the previous {@code stop}.
 */
final class ThroughputSender extends WebSocketServer {

    private static final Pattern PARAMS = Pattern.compile("\"params\"\\s*:\\s*\"([^\"]*)\"");

    private final List<Stream> streams = new ArrayList<>();

    ThroughputSender(int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        setReuseAddr(true);
        setTcpNoDelay(true);
    }

    static void run(int port) throws Exception {
        ThroughputSender s = new ThroughputSender(port);
        s.start();
        System.out.println("ready");
        System.out.flush();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stop")) {
                long[] totals = s.stopAll();
                System.out.println("sent " + totals[0] + " " + totals[1] + " " + totals[2]);
                System.out.flush();
            }
        }
        s.stop(1000);
    }

    private long[] stopAll() throws InterruptedException {
        List<Stream> all;
        synchronized (streams) {
            all = new ArrayList<>(streams);
            streams.clear();
        }
        long[] totals = new long[3];
        for (Stream st : all) {
            st.running = false;
            st.thread.join(10_000);
            totals[0] += st.trades;
            totals[1] += st.quotes;
            totals[2] += st.checksum;
        }
        return totals;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        conn.send(
                "[{\"ev\":\"status\",\"status\":\"connected\",\"message\":\"Connected Successfully\"}]");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Matcher m = PARAMS.matcher(message);
        if (!m.find()) {
            return;
        }
        if (message.contains("\"auth\"")) {
            String key = m.group(1);
            conn.setAttachment(Workload.of(key.substring(0, key.lastIndexOf('-'))));
            conn.send(
                    "[{\"ev\":\"status\",\"status\":\"auth_success\",\"message\":\"authenticated\"}]");
            return;
        }
        if (!message.contains("\"subscribe\"")) {
            return;
        }
        Set<String> symbols = new LinkedHashSet<>();
        StringBuilder acks = new StringBuilder("[");
        for (String topic : m.group(1).split(",")) {
            symbols.add(topic.substring(topic.indexOf('.') + 1));
            acks.append(acks.length() > 1 ? "," : "")
                    .append(
                            "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: ")
                    .append(topic)
                    .append("\"}");
        }
        conn.send(acks.append("]").toString());
        Workload w = conn.getAttachment();
        Stream st = new Stream(conn, w.frames(new ArrayList<>(symbols)));
        synchronized (streams) {
            streams.add(st);
        }
        st.thread.start();
    }

    /** One socket's stream: its own thread, its own totals (read once the thread has ended). */
    private static final class Stream implements Runnable {
        final WebSocket conn;
        final List<Workload.Frame> frames;
        final Thread thread;
        volatile boolean running = true;
        long trades;
        long quotes;
        long checksum;

        Stream(WebSocket conn, List<Workload.Frame> frames) {
            this.conn = conn;
            this.frames = frames;
            this.thread = new Thread(this, "bench-sender");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            WebSocketImpl impl = (WebSocketImpl) conn;
            long sent = 0;
            while (running && conn.isOpen()) {
                if (impl.outQueue.size() >= 8) {
                    // park, not spin: on 2 cores a spinning sender would take the receiver's CPU
                    LockSupport.parkNanos(20_000);
                    continue;
                }
                Workload.Frame f = frames.get((int) (sent % Workload.FRAMES));
                byte[] b = f.bytes();
                long qSum = 0;
                int[] at = f.qAt();
                for (int i = 0; i < at.length; i++) {
                    // increasing per ticker from frame to frame, and within a frame
                    long q = Workload.Q_BASE + sent * Workload.EVENTS_PER_FRAME + i;
                    qSum += q % 1_000_000;
                    long v = q;
                    for (int d = at[i] + Workload.Q_DIGITS - 1; d >= at[i]; d--) {
                        b[d] = (byte) ('0' + v % 10);
                        v /= 10;
                    }
                }
                FramedataImpl1 frame = FramedataImpl1.get(Opcode.TEXT);
                frame.setFin(true);
                frame.setPayload(ByteBuffer.wrap(b)); // copied into the outgoing buffer at once
                try {
                    conn.sendFrame(frame);
                } catch (WebsocketNotConnectedException e) {
                    break; // the receiver closed between the check and the send
                }
                sent++;
                trades += f.trades();
                quotes += f.quotes();
                checksum += f.checksum() + qSum;
            }
            // what was queued leaves before the totals are read
            while (conn.isOpen() && !impl.outQueue.isEmpty()) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}
}
