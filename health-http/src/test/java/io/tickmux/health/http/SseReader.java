package io.tickmux.health.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dashboard stream read by its own thread, as a browser would: records the status line and each
 * snapshot's id.
 */
final class SseReader implements AutoCloseable {

    final List<Long> ids = new CopyOnWriteArrayList<>();
    volatile String statusLine;
    volatile boolean ended;
    volatile String lastData = "";
    private final Socket socket = new Socket();
    private final Thread thread;

    SseReader(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        OutputStream out = socket.getOutputStream();
        out.write(
                ("GET /api/websocket/stream HTTP/1.1\r\nHost: 127.0.0.1:"
                                + port
                                + "\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        thread = new Thread(this::read, "sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            statusLine = in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("data: ")) {
                    lastData = line.substring(6);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    long last() {
        return ids.isEmpty() ? -1 : ids.get(ids.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
