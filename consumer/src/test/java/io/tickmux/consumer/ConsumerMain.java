package io.tickmux.consumer;

import io.tickmux.spi.event.StatusEvent;
import io.tickmux.wire.WireFormat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A consumer application in its own JVM, for the cross-process tests: it appends one line per
 * message to a file ({@code position|M|ticker|message id} or {@code position|G|ticker|cause}) and
 * uses that file as its checkpoint, so the record and the position are one write: exactly-once
 * across a kill.
 *
 * <p>Arguments: NATS URL, stream, subject prefix, durable name, output file.
 */
public final class ConsumerMain {

    private ConsumerMain() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[4]);
        OutputStream file = new FileOutputStream(out.toFile(), true);
        TickmuxConsumer[] self = new TickmuxConsumer[1];
        TickmuxConsumer c =
                TickmuxConsumer.builder(JetStreamSource.of(args[0], args[3]).at(args[1], args[2]))
                        .checkpoint(() -> lastPosition(out))
                        .tickListener(
                                e ->
                                        write(
                                                file,
                                                self[0].position()
                                                        + "|M|"
                                                        + e.symbol()
                                                        + "|"
                                                        + WireFormat.messageId(e)))
                        .statusListener(
                                s -> {
                                    if (s instanceof StatusEvent.Gap g) {
                                        write(
                                                file,
                                                self[0].position()
                                                        + "|G|"
                                                        + g.symbol()
                                                        + "|"
                                                        + g.cause());
                                    }
                                })
                        .build();
        self[0] = c;
        c.start();
        System.out.println("consumer started");
        Thread.currentThread().join(); // until the test kills the process
    }

    private static void write(OutputStream file, String line) {
        try {
            file.write((line + "\n").getBytes(StandardCharsets.UTF_8)); // one write: a whole line
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The position of the last whole line: what this application has handled. */
    static long lastPosition(Path out) {
        try {
            if (!Files.exists(out)) {
                return 0;
            }
            String all = Files.readString(out);
            int end = all.lastIndexOf('\n');
            if (end < 0) {
                return 0;
            }
            List<String> lines = all.substring(0, end).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                int bar = l.indexOf('|');
                if (bar > 0) {
                    return Long.parseLong(l.substring(0, bar));
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
