package io.tickmux.transport.replay;

/**
 * A recorder's counters, read at one moment.
 *
 * @param recorded entries written
 * @param dropped entries not recorded because the buffer was full or the file could not be written
 *     (the transport never waits for the recorder)
 * @param filesCompleted files closed and renamed to their final name
 * @param bytesWritten compressed bytes written
 * @param writeErrors failures to open or write a file (each logged with the path and the cause)
 * @param buffered entries waiting for the writer now
 */
public record RecorderStats(
        long recorded,
        long dropped,
        long filesCompleted,
        long bytesWritten,
        long writeErrors,
        int buffered) {}
