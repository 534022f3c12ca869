package io.tickmux.fake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * One client-to-server control message, {@code {"action":"auth"|"subscribe"|"unsubscribe",
 * "params":"..."}} (reference §0.1, §3.1): a single JSON object, whatever its spacing (the Python
 * and JVM clients put spaces after the colons), other fields ignored.
 *
 * @param action the action, e.g. {@code auth}
 * @param params its parameter: the key, or comma-separated topics
 */
record ControlMessage(String action, String params) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Reads one text frame from a client.
     *
     * @param text the frame
     * @return the message, or empty when the frame is not a JSON object with both {@code action}
     *     and {@code params} (the server answers {@code invalid message})
     */
    static Optional<ControlMessage> parse(String text) {
        String action = null;
        String params = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("action")) {
                    action = p.getValueAsString();
                } else if (name.equals("params")) {
                    params = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (action == null || params == null) {
            return Optional.empty();
        }
        return Optional.of(new ControlMessage(action, params));
    }
}
