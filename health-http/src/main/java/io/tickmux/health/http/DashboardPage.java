package io.tickmux.health.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's own files, read once from this module's jar: the page, its script and its style
 * (no inline code, so the Content-Security-Policy allows only {@code 'self'}). Its data comes from
 * the {@link DashboardFeed}.
 */
final class DashboardPage {

    private final String html = resource("dashboard.html");
    private final String script = resource("dashboard.js");
    private final String style = resource("dashboard.css");

    /** {@code GET /}. */
    void page(Context ctx) {
        ctx.html(html);
    }

    /** {@code GET /dashboard.js}. */
    void script(Context ctx) {
        ctx.contentType("text/javascript; charset=utf-8").result(script);
    }

    /** {@code GET /dashboard.css}. */
    void style(Context ctx) {
        ctx.contentType("text/css; charset=utf-8").result(style);
    }

    private static String resource(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the tickmux-health-http jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
