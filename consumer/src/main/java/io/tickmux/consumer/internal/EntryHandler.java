package io.tickmux.consumer.internal;

import static java.util.Objects.requireNonNull;

import io.tickmux.consumer.RedisStreamsConsumer;
import io.tickmux.wire.WireReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of one Redis Streams entry: one at or before the last entry handled of its stream is
 * dropped as handled before; one without a {@code data} field (a pending entry trimmed away
 * meanwhile, or not the gateway's) is skipped; an unreadable one is counted and logged; any other
 * is handed to the listeners. An exception from a listener is counted and logged. Every entry not
 * dropped becomes its stream's last handled, and the caller acknowledges every entry afterwards,
 * whatever became of it.
 *
 * <p>Called on the delivery thread only.
 */
public final class EntryHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private final String name;
    private final WireReader reader = new WireReader();
    private final Delivery delivery;
    private final EntryOrder order = new EntryOrder();

    /**
     * @param name the consumer group, for the log
     * @param delivery hands entries to the listeners and counts
     */
    public EntryHandler(String name, Delivery delivery) {
        this.name = requireNonNull(name, "name is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
    }

    /**
     * Handles one entry; the caller acknowledges it afterwards.
     *
     * @param key its stream
     * @param id its id
     * @param body its fields; null for a pending entry trimmed away
     */
    public void handle(String key, String id, Map<String, String> body) {
        if (order.handledBefore(key, id)) {
            delivery.countSkipped(); // handled before in this process
            return;
        }
        String data = body == null ? null : body.get("data");
        if (data == null) {
            // A pending entry trimmed away meanwhile, or not the gateway's.
            delivery.countSkipped();
            order.handled(key, id);
            return;
        }
        try {
            delivery.deliver(reader.read(data.getBytes(StandardCharsets.UTF_8)));
        } catch (WireReader.WireFormatException e) {
            delivery.countError();
            LOG.warn("consumer {}: skipped entry {} of {}: {}", name, id, key, e.getMessage());
        } catch (RuntimeException e) {
            delivery.countError();
            LOG.warn(
                    "consumer {}: a listener threw on entry {} of {}; continuing",
                    name,
                    id,
                    key,
                    e);
        }
        order.handled(key, id);
    }
}
