package io.tickmux.sink.nats;

import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.wire.WireFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A message handed to the {@link PublishPipeline} and not yet acknowledged: what it is (subject,
 * body, id, the event it carries), where it stands in the order (the id it names as its
 * predecessor) and how its sending went. Publishing thread only.
 */
final class PendingMessage {

    /**
     * Each message names the one before it: JetStream stores it only after that one, so a message
     * lost in a dying connection can never be overtaken by a later one the client still had queued
     * (they are refused, and sent again in order). A resend of a stored message is recognised by
     * its id first and acknowledged as a duplicate.
     */
    static final String EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id";

    private static final String VERSION = Integer.toString(WireFormat.VERSION);

    final String subject;
    final byte[] body;
    final String id;
    final MarketEvent event; // null for a status message
    final String connectionId;
    final long receivedNanos;
    final long epoch;
    String expect; // the id of the message before it; null for none
    CompletableFuture<PublishAck> ack; // null while not sent (again)
    long sentAt;
    long writtenAtSend; // the client's count of messages written to the socket, at send
    long retryAt; // not sent again before this (System.nanoTime)
    int retries;

    /**
     * @param subject where it is published
     * @param body the wire-format payload
     * @param id its {@code Nats-Msg-Id}
     * @param event the market event it carries; null for a status message
     * @param connectionId the event's connection; empty for a status message
     * @param receivedNanos the event's gateway receipt, Unix ns; 0 for a status message
     * @param epoch the lease epoch it was published under; 0 when the sink is not fenced
     */
    PendingMessage(
            String subject,
            byte[] body,
            String id,
            MarketEvent event,
            String connectionId,
            long receivedNanos,
            long epoch) {
        this.subject = subject;
        this.epoch = epoch;
        this.body = body;
        this.id = id;
        this.event = event;
        this.connectionId = connectionId;
        this.receivedNanos = receivedNanos;
    }

    /**
     * @return the message as sent: its id, the wire version, the epoch (when fenced) and its
     *     predecessor's id (when it has one) as headers
     */
    NatsMessage message() {
        Headers h = new Headers();
        h.put(WireFormat.MSG_ID_HEADER, id);
        h.put(WireFormat.VERSION_HEADER, VERSION);
        if (epoch > 0) {
            h.put(WireFormat.EPOCH_HEADER, Long.toString(epoch));
        }
        if (expect != null) {
            h.put(EXPECTED_LAST_MSG_ID, expect);
        }
        return NatsMessage.builder().subject(subject).headers(h).data(body).build();
    }
}
