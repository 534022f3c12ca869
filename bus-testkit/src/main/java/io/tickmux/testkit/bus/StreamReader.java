package io.tickmux.testkit.bus;

import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.OrderedConsumerConfiguration;
import java.util.ArrayList;
import java.util.List;

/** Reads every message of a JetStream stream, in stream order; for assertions. */
public final class StreamReader {

    private StreamReader() {}

    /**
     * @param c a connection
     * @param stream the stream
     * @param filter a subject filter, e.g. {@code tickmux.>}
     * @return the messages, in stream order
     * @throws Exception when the stream cannot be read
     */
    public static List<Message> readAll(Connection c, String stream, String filter)
            throws Exception {
        JetStreamManagement jsm = c.jetStreamManagement();
        long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        List<Message> out = new ArrayList<>();
        if (last == 0) {
            return out;
        }
        OrderedConsumerContext occ =
                c.getStreamContext(stream)
                        .createOrderedConsumer(
                                new OrderedConsumerConfiguration().filterSubject(filter));
        try (IterableConsumer it = occ.iterate()) {
            while (true) {
                Message m = it.nextMessage(2_000);
                if (m == null) {
                    return out;
                }
                out.add(m);
                if (m.metaData().streamSequence() >= last) {
                    return out;
                }
            }
        }
    }
}
