package io.tickmux.health.http;

import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@link JsonErrors.CoreHandler}'s answers inside the servlet context: an error raised by the
 * container, not an endpoint, is JSON with the security headers too. Its own file because the
 * servlet context's {@code ErrorHandler} shares its simple name with Jetty's core one.
 */
final class ServletErrorHandler extends ErrorHandler {
    private final HttpSettings settings;

    ServletErrorHandler(HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return JsonErrors.answer(request, response, callback, settings);
    }
}
