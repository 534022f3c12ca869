package io.tickmux.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A small HTTP control endpoint for a standalone {@link FakeMassiveServer}, so that any client (the
 * official Massive clients included) can be tested against its faults. Loopback only.
 *
 * <pre>
 * GET  /sessions                       sessions: id, authenticated, open, tickers, topics, sent
 * POST /sessions/{id}/abort            drop without a close frame (1006)
 * POST /sessions/{id}/close?code=1000  close with a code
 * POST /sessions/{id}/mute             stop sending events and answering pings
 * POST /sessions/{id}/unmute
 * POST /sessions/{id}/malformed        send a frame that is not JSON
 * POST /sessions/{id}/duplicate        send the next event frame twice
 * POST /sessions/{id}/slow-consumer    slow_consumer status, then abort
 * GET  /sent?ticker=AAPL               events sent for a ticker, in total and per session
 * GET  /stats                          sessions, live sessions, evictions
 * </pre>
 *
 * Errors are JSON: {@code {"error": "..."}} with 400, 404 or 405.
 */
public final class ControlEndpoint implements AutoCloseable {

    private final FakeMassiveServer server;
    private final HttpServer http;

    /**
     * @param server the fake server to control
     * @param port port on 127.0.0.1; 0 picks a free one
     * @throws IOException when the port cannot be bound
     */
    public ControlEndpoint(FakeMassiveServer server, int port) throws IOException {
        this.server = server;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        this.http.setExecutor(
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "fake-massive-control");
                            t.setDaemon(true);
                            return t;
                        }));
        this.http.createContext("/", this::handle);
        this.http.start();
    }

    /**
     * @return the bound port
     */
    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            Map<String, String> query = query(x.getRequestURI().getRawQuery());
            if (path.equals("/sessions") && method.equals("GET")) {
                StringBuilder sb = new StringBuilder("[");
                for (FakeSession s : server.sessions()) {
                    if (sb.length() > 1) {
                        sb.append(',');
                    }
                    sb.append(session(s));
                }
                reply(x, 200, sb.append(']').toString());
            } else if (path.equals("/sent") && method.equals("GET")) {
                String ticker = query.get("ticker");
                if (ticker == null || ticker.isBlank()) {
                    error(x, 400, "missing query parameter ticker: use /sent?ticker=AAPL");
                    return;
                }
                StringBuilder per = new StringBuilder("{");
                for (FakeSession s : server.sessions()) {
                    if (per.length() > 1) {
                        per.append(',');
                    }
                    per.append('"').append(s.id()).append("\":").append(s.sentCount(ticker));
                }
                reply(
                        x,
                        200,
                        "{\"ticker\":"
                                + quote(ticker)
                                + ",\"total\":"
                                + server.sentCount(ticker)
                                + ",\"bySession\":"
                                + per.append('}')
                                + "}");
            } else if (path.equals("/stats") && method.equals("GET")) {
                reply(
                        x,
                        200,
                        "{\"sessions\":"
                                + server.sessions().size()
                                + ",\"live\":"
                                + server.liveSessions().size()
                                + ",\"evictions\":"
                                + server.evictions()
                                + "}");
            } else if (path.startsWith("/sessions/")) {
                sessionAction(x, path, method, query);
            } else {
                error(x, 404, "unknown path " + path + ": see /sessions, /sent, /stats");
            }
        } catch (RuntimeException e) {
            error(x, 400, String.valueOf(e.getMessage()));
        }
    }

    private void sessionAction(HttpExchange x, String path, String method, Map<String, String> q)
            throws IOException {
        String[] parts = path.split("/");
        if (parts.length != 4) {
            error(x, 404, "use /sessions/{id}/{action}");
            return;
        }
        if (!method.equals("POST")) {
            error(x, 405, "use POST for session actions");
            return;
        }
        int id;
        try {
            id = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            error(x, 400, "session id '" + parts[2] + "' is not a number");
            return;
        }
        FakeSession s =
                server.sessions().stream().filter(v -> v.id() == id).findFirst().orElse(null);
        if (s == null) {
            error(x, 404, "no session " + id + ": see GET /sessions");
            return;
        }
        switch (parts[3]) {
            case "abort" -> s.abort();
            case "close" -> {
                int code;
                try {
                    code = Integer.parseInt(q.getOrDefault("code", "1000"));
                } catch (NumberFormatException e) {
                    error(x, 400, "code must be a number such as 1000, 1001 or 1008");
                    return;
                }
                s.close(code, q.getOrDefault("reason", "closed by control endpoint"));
            }
            case "mute" -> s.mute(true);
            case "unmute" -> s.mute(false);
            case "malformed" -> s.sendMalformed();
            case "duplicate" -> s.duplicateNextBatch();
            case "slow-consumer" -> s.slowConsumerKill();
            default -> {
                error(
                        x,
                        404,
                        "unknown action "
                                + parts[3]
                                + ": use abort, close, mute, unmute, malformed, duplicate or"
                                + " slow-consumer");
                return;
            }
        }
        reply(x, 200, "{\"session\":" + id + ",\"done\":" + quote(parts[3]) + "}");
    }

    private static String session(FakeSession s) {
        List<String> tickers = List.copyOf(s.tickers());
        return "{\"id\":"
                + s.id()
                + ",\"authenticated\":"
                + s.authenticated()
                + ",\"open\":"
                + s.isOpen()
                + ",\"closeCode\":"
                + s.closeCode()
                + ",\"tickers\":"
                + tickers.size()
                + ",\"topics\":"
                + s.topics().size()
                + ",\"framesSent\":"
                + s.framesSent()
                + "}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static void error(HttpExchange x, int code, String message) throws IOException {
        reply(x, code, "{\"error\":" + quote(message) + "}");
    }

    private static void reply(HttpExchange x, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(code, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }
}
