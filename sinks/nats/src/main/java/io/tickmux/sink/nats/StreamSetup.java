package io.tickmux.sink.nats;

import static java.util.Objects.requireNonNull;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.tickmux.spi.config.TickmuxConfigException;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream at start: with {@code stream.mode = create} it is created when missing and its limits
 * updated when they differ from the settings; with {@code check} it must exist. Either way it must
 * capture {@code <prefix>.>}.
 */
final class StreamSetup {

    private static final Logger LOG = LoggerFactory.getLogger(NatsSink.class);
    private static final int STREAM_NOT_FOUND = 10059;

    private final NatsSinkSettings settings;

    /**
     * @param settings the sink's settings
     */
    StreamSetup(NatsSinkSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Creates, updates or checks the stream.
     *
     * @param jsm the connection's stream management
     * @throws IOException when JetStream does not answer, saying what to check
     * @throws JetStreamApiException when JetStream refuses a request
     * @throws TickmuxConfigException when the stream is missing in check mode or does not capture
     *     the subjects
     */
    void ensure(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        StreamConfiguration want = wanted();
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(settings.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            if (settings.streamMode() == NatsSinkSettings.StreamMode.CHECK) {
                throw new TickmuxConfigException(
                        List.of(
                                NatsSinkSettings.PATH
                                        + ".stream.mode = check, but stream '"
                                        + settings.stream()
                                        + "' does not exist: create it (subjects "
                                        + settings.prefix()
                                        + ".>) or set mode = create"));
            }
            jsm.addStream(want);
            LOG.info(
                    "sink nats: created stream {} on {}.> ({}, max-age {}, duplicate window {})",
                    settings.stream(),
                    settings.prefix(),
                    settings.storage(),
                    settings.maxAge(),
                    settings.duplicateWindow());
            return;
        } catch (IOException e) {
            throw new IOException(
                    "sink nats: JetStream did not answer at "
                            + settings.urls()
                            + " ("
                            + e.getMessage()
                            + "): is the server started with JetStream enabled (-js)?",
                    e);
        }
        StreamConfiguration have = info.getConfiguration();
        checkCaptures(have);
        if (limitsDiffer(have, want)
                && settings.streamMode() == NatsSinkSettings.StreamMode.CREATE) {
            jsm.updateStream(
                    StreamConfiguration.builder(have)
                            .maxAge(settings.maxAge())
                            .maxMessages(settings.maxMessages())
                            .maxBytes(settings.maxBytes())
                            .duplicateWindow(settings.duplicateWindow())
                            .build());
            LOG.info("sink nats: updated the limits of stream {}", settings.stream());
        }
    }

    /**
     * @return the stream the settings describe: {@code <prefix>.>}, limits retention discarding the
     *     oldest, the storage, limits, duplicate window and replicas
     */
    StreamConfiguration wanted() {
        return StreamConfiguration.builder()
                .name(settings.stream())
                .subjects(settings.prefix() + ".>")
                .storageType(
                        settings.storage() == NatsSinkSettings.Storage.FILE
                                ? StorageType.File
                                : StorageType.Memory)
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.Old)
                .maxAge(settings.maxAge())
                .maxMessages(settings.maxMessages())
                .maxBytes(settings.maxBytes())
                .duplicateWindow(settings.duplicateWindow())
                .replicas(settings.replicas())
                .build();
    }

    /**
     * @param have an existing stream
     * @throws TickmuxConfigException when it captures neither {@code <prefix>.>} nor {@code >}
     */
    void checkCaptures(StreamConfiguration have) {
        if (!have.getSubjects().contains(settings.prefix() + ".>")
                && !have.getSubjects().contains(">")) {
            throw new TickmuxConfigException(
                    List.of(
                            "stream '"
                                    + settings.stream()
                                    + "' captures "
                                    + have.getSubjects()
                                    + ", not "
                                    + settings.prefix()
                                    + ".>: point "
                                    + NatsSinkSettings.PATH
                                    + ".stream.name at another stream or fix its subjects"));
        }
    }

    /**
     * @param have an existing stream
     * @param want the stream the settings describe
     * @return whether their limits (max messages, max bytes, max age, duplicate window) differ
     */
    static boolean limitsDiffer(StreamConfiguration have, StreamConfiguration want) {
        return have.getMaxMsgs() != want.getMaxMsgs()
                || have.getMaxBytes() != want.getMaxBytes()
                || !have.getMaxAge().equals(want.getMaxAge())
                || !have.getDuplicateWindow().equals(want.getDuplicateWindow());
    }
}
