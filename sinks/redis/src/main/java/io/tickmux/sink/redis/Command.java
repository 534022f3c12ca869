package io.tickmux.sink.redis;

import java.util.concurrent.CompletableFuture;

/**
 * One command of an event: an {@code XADD} on a stream or a {@code PUBLISH} on a channel, and how
 * its sending went. Publishing thread only.
 */
final class Command {

    final String key; // a stream, or a channel
    final boolean xadd;
    final String id; // the entry's id field (xadd)
    final String value; // data (xadd) or the message (publish)
    CompletableFuture<?> future; // null while not sent (again)
    boolean stored; // known stored without a future (found after a reconnect)

    /**
     * @param key the stream ({@code xadd}) or the channel
     * @param xadd whether it is an {@code XADD}; otherwise a {@code PUBLISH}
     * @param id the entry's {@code id} field; null for a {@code PUBLISH}
     * @param value the entry's {@code data} field, or the message
     */
    Command(String key, boolean xadd, String id, String value) {
        this.key = key;
        this.xadd = xadd;
        this.id = id;
        this.value = value;
    }

    /**
     * @return whether Redis answered it without an error, or it was found stored
     */
    boolean ok() {
        return stored || future != null && future.isDone() && !future.isCompletedExceptionally();
    }

    /**
     * @return whether its answer was an error or a broken connection (and it was not found stored)
     */
    boolean failed() {
        return !stored && future != null && future.isCompletedExceptionally();
    }
}
