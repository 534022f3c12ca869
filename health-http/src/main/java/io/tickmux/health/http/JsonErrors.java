package io.tickmux.health.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The health server's error bodies and security headers, wherever an answer is made: in an
 * endpoint, in the {@link Guard}, in the servlet context, or in Jetty itself before any of them (a
 * request line or headers too long, a malformed request). Every error is {@code {"error": "...",
 * "status": N}} with a fixed message per status that names the limit or the fix; nothing from the
 * request is echoed beyond what an endpoint chooses, and no stack trace or exception text ever is.
 */
final class JsonErrors {

    /**
     * On every response. The dashboard loads only its own script, style and stream ({@code 'self'}
     * , no inline code), cannot be framed, and no browser guesses a content type or lets another
     * site embed a response.
     */
    static final Map<String, String> SECURITY_HEADERS =
            Map.of(
                    "Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                            + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                            + " frame-ancestors 'none'",
                    "X-Content-Type-Options",
                    "nosniff",
                    "X-Frame-Options",
                    "DENY",
                    "Referrer-Policy",
                    "no-referrer",
                    "Cross-Origin-Resource-Policy",
                    "same-origin",
                    "Cache-Control",
                    "no-store");

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonErrors() {}

    /** Sets the security headers on a servlet response. */
    static void secure(HttpServletResponse res) {
        SECURITY_HEADERS.forEach(res::setHeader);
    }

    /**
     * @return {@code {"error": message, "status": status}} in UTF-8
     */
    static byte[] body(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        try {
            return JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers a servlet request with a JSON error and the security headers. */
    static void write(HttpServletResponse res, int status, String message) throws IOException {
        if (res.isCommitted()) {
            return;
        }
        res.resetBuffer();
        res.setStatus(status);
        secure(res);
        res.setContentType("application/json");
        res.setCharacterEncoding("utf-8");
        byte[] b = body(status, message);
        res.setContentLength(b.length);
        res.getOutputStream().write(b);
    }

    /** The fixed message for an error Jetty or the servlet context raised. */
    static String message(int code, HttpSettings s) {
        return switch (code) {
            case 400 -> "bad request: the request line, a header or the URI is malformed";
            case 404 ->
                    "no such endpoint: see /api/websocket/connections, /api/websocket/health,"
                            + " /health/ready, /metrics";
            case 405 -> "method not allowed";
            case 408 -> "request timeout";
            case 413 -> tooLarge(s);
            case 414 ->
                    "URI too long: the request line and headers together may be at most"
                            + " tickmux.http.max-header-size = "
                            + s.maxHeaderSize()
                            + " bytes";
            case 431 ->
                    "request headers too large: the request line and headers together may be"
                            + " at most tickmux.http.max-header-size = "
                            + s.maxHeaderSize()
                            + " bytes";
            case 500 -> "internal error";
            case 503 -> "service unavailable";
            default -> {
                String reason = HttpStatus.getMessage(code);
                yield reason == null ? "error" : reason;
            }
        };
    }

    static String tooLarge(HttpSettings s) {
        return "request body too large: at most tickmux.http.max-body-size = "
                + s.maxBodySize()
                + " bytes (the endpoints take no body)";
    }

    /**
     * Jetty's own error answers (a request line or headers too long, a malformed request, before
     * any servlet sees it) as JSON with the security headers, instead of an HTML page.
     */
    static final class CoreHandler extends ErrorHandler {
        private final HttpSettings settings;

        CoreHandler(HttpSettings settings) {
            this.settings = settings;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return answer(request, response, callback, settings);
        }
    }

    /**
     * Answers with the JSON error for the response's status (or the {@link HttpException} Jetty
     * recorded) and the security headers; a status without a body, or a {@code HEAD}, gets the
     * headers only. Shared by {@link CoreHandler} and {@link ServletErrorHandler}.
     */
    static boolean answer(
            Request request, Response response, Callback callback, HttpSettings settings) {
        int code = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException h) {
            code = h.getCode();
            response.setStatus(code);
        }
        SECURITY_HEADERS.forEach((k, v) -> response.getHeaders().put(k, v));
        if (HttpStatus.hasNoBody(code) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put("Content-Type", "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(code, message(code, settings))), callback);
        return true;
    }
}
