package io.tickmux.transport.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.MassiveSettings;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's frames, from the read thread to the parser: parsed on the read thread, or with
 * {@code parsing = stage} handed to the socket's {@link ParseStage}, whose thread ({@code
 * tickmux-massive-parse-<id>}) parses them in the order they were read. Either way the parsing
 * thread holds the connection's callback lock for a whole frame, hands its objects to the sink and
 * its events over in chunks. A malformed frame's whole objects before the fault are delivered and
 * the rest is reported; a binary frame (the feed sends none) is reported.
 *
 * <p>The {@code read} methods are called by the read thread only.
 */
final class FrameIntake {

    /** The connection's log: one category for everything about a connection. */
    private static final Logger LOG = LoggerFactory.getLogger(MassiveConnection.class);

    private final String id;
    private final int number;
    private final FrameParser parser;
    private final FrameParser.Sink sink;
    private final EventChunks chunks;
    private final TransportListener listener;
    private final ListenerCalls calls;

    /** The parsing stage ({@code parsing = stage}); null when the read thread parses. */
    private final ParseStage stage;

    /**
     * @param id the connection's id
     * @param number the socket's number within the connection
     * @param settings the connection's settings: where to parse, the stage's size
     * @param json the shared Jackson factory
     * @param sink receives each frame's objects
     * @param chunks hands the sink's events to the host; flushed at the end of every frame
     * @param listener the host, told of malformed and binary frames
     * @param calls the connection's listener calls
     */
    FrameIntake(
            String id,
            int number,
            MassiveSettings settings,
            JsonFactory json,
            FrameParser.Sink sink,
            EventChunks chunks,
            TransportListener listener,
            ListenerCalls calls) {
        this.id = id;
        this.number = number;
        this.parser = new FrameParser(json);
        this.sink = sink;
        this.chunks = chunks;
        this.listener = listener;
        this.calls = calls;
        this.stage =
                settings.parsing() == MassiveSettings.Parsing.STAGE
                        ? new ParseStage(
                                "tickmux-massive-parse-" + id,
                                settings.parseStageFrames(),
                                settings.maxFrameSize(),
                                new StageHandler(),
                                e ->
                                        LOG.error(
                                                "{}: parsing stage: a frame's handling threw;"
                                                        + " continuing with the next frame",
                                                id,
                                                e))
                        : null;
    }

    /** The socket opened: the parsing stage, if any, starts. */
    void start() {
        if (stage != null) {
            stage.start();
        }
    }

    /**
     * @param text a text message that came in fragments, decoded
     */
    void readText(String text) {
        if (stage != null) {
            if (!stage.publishText(text)) {
                lateFrame();
            }
            return;
        }
        parseText(text);
    }

    /**
     * @param utf8 a text message in one frame, its UTF-8 checked
     * @param offset where it starts
     * @param length its length
     */
    void readBytes(byte[] utf8, int offset, int length) {
        if (stage != null) {
            if (!stage.publish(utf8, offset, length)) {
                lateFrame();
            }
            return;
        }
        parseBytes(utf8, offset, length);
    }

    /**
     * @param size a binary message's size
     */
    void readBinary(int size) {
        if (stage != null) {
            if (!stage.publishBinary(size)) {
                lateFrame();
            }
            return;
        }
        binaryFrame(size);
    }

    /**
     * The socket ended: runs {@code last} after every frame already handed to the parsing stage
     * (whose thread then ends), or at once when the read thread parses.
     *
     * @param last the socket's last call
     */
    void end(Runnable last) {
        if (stage != null) {
            stage.stop(last);
        } else {
            last.run();
        }
    }

    /** A frame read after the session's end was reported: the host has moved on. */
    private void lateFrame() {
        LOG.debug("{} session {}: a frame read after the socket ended, not parsed", id, number);
    }

    private void parseText(String text) {
        calls.lock();
        try {
            parser.parse(text, sink);
            chunks.flush();
        } catch (IOException | RuntimeException e) {
            malformed(text.length() + " chars", e);
        } finally {
            calls.unlock();
        }
        calls.drain();
    }

    private void parseBytes(byte[] utf8, int offset, int length) {
        calls.lock();
        try {
            parser.parse(utf8, offset, length, sink);
            chunks.flush();
        } catch (IOException | RuntimeException e) {
            malformed(length + " bytes", e);
        } finally {
            calls.unlock();
        }
        calls.drain();
    }

    private void binaryFrame(int size) {
        calls.lock();
        try {
            calls.call(
                    () ->
                            listener.onError(
                                    "binary-frame",
                                    "skipped a binary frame ("
                                            + size
                                            + " bytes): the feed sends text frames only"));
        } finally {
            calls.unlock();
        }
        calls.drain();
    }

    /** Every whole object before the fault is delivered; the rest is skipped and reported. */
    private void malformed(String size, Exception e) {
        chunks.flush();
        String detail =
                "skipped a malformed frame ("
                        + size
                        + "): "
                        + ServerText.oneLine(
                                String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        calls.call(() -> listener.onError("malformed-frame", detail));
    }

    /** The parsing stage's work, on its thread, in the order the frames were read. */
    private final class StageHandler implements ParseStage.Handler {
        @Override
        public void bytes(byte[] utf8, int offset, int length) {
            parseBytes(utf8, offset, length);
        }

        @Override
        public void text(String text) {
            parseText(text);
        }

        @Override
        public void binary(int size) {
            binaryFrame(size);
        }
    }
}
