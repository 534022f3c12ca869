package io.tickmux.consumer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Where a consumer reads: a JetStream stream a tickmux gateway publishes to, through a durable
 * consumer of the given name (its position survives restarts of the consumer and of the server).
 *
 * @param url the NATS server(s), comma-separated
 * @param stream the stream ({@code tickmux.sink.nats.stream.name}, default {@code TICKMUX})
 * @param prefix the gateway's subject prefix ({@code tickmux.sink.nats.subject-prefix})
 * @param durable the durable consumer's name: one per application, shared by its restarts
 * @param tickers the tickers wanted; empty for every ticker. Gaps for them and all status events
 *     come too
 * @param ackWait how long JetStream waits for an acknowledgement before delivering again
 * @param batch messages fetched at a time
 */
public record JetStreamSource(
        String url,
        String stream,
        String prefix,
        String durable,
        List<String> tickers,
        Duration ackWait,
        int batch) {

    public JetStreamSource {
        requireNonNull(url, "url is null");
        requireNonNull(stream, "stream is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(durable, "durable is null");
        tickers = List.copyOf(tickers);
        requireNonNull(ackWait, "ackWait is null");
        if (!durable.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                    "durable '" + durable + "' must be letters, digits, _ or -");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, was " + batch);
        }
    }

    /**
     * Every ticker from the default stream and prefix.
     *
     * @param url the server
     * @param durable the durable consumer's name
     * @return the source
     */
    public static JetStreamSource of(String url, String durable) {
        return new JetStreamSource(
                url, "TICKMUX", "tickmux", durable, List.of(), Duration.ofSeconds(30), 256);
    }

    /**
     * @param stream the stream
     * @param prefix the subject prefix
     * @return a copy reading there
     */
    public JetStreamSource at(String stream, String prefix) {
        return new JetStreamSource(url, stream, prefix, durable, tickers, ackWait, batch);
    }

    /**
     * @param wanted the tickers; empty for all
     * @return a copy reading only these
     */
    public JetStreamSource tickers(List<String> wanted) {
        return new JetStreamSource(url, stream, prefix, durable, wanted, ackWait, batch);
    }
}
