package io.tickmux.ha.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;
import io.tickmux.ha.HaSettings;
import io.tickmux.spi.config.TickmuxConfigException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The lease in a NATS JetStream key-value bucket whose max-age is the lease's ttl: {@code create}
 * succeeds only while the key holds no value (never written, expired, or released), {@code update}
 * renews with compare-and-set on the revision. Revisions are the bucket stream's sequence numbers:
 * they only grow, across expiry and (with file storage) across a server restart, so the revision at
 * acquisition is the epoch, a fencing token.
 */
public final class NatsLease implements AutoCloseable {

    /** JetStream's "wrong last sequence": the key holds another revision. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private static final int BUCKET_NOT_FOUND = 10059;

    /** The key holds another holder's value, or the compare-and-set lost. */
    public static final class Taken extends Exception {
        private static final long serialVersionUID = 1L;

        Taken(String message) {
            super(message);
        }
    }

    /**
     * The lease's current value.
     *
     * @param record the value
     * @param revision the entry's revision
     */
    public record Seen(LeaseRecord record, long revision) {
        /**
         * @return the holder's epoch
         */
        public long epoch() {
            return record.epochOr(revision);
        }
    }

    private final HaSettings settings;
    private Connection connection;
    private KeyValue kv;

    /**
     * @param settings the settings
     */
    public NatsLease(HaSettings settings) {
        this.settings = settings;
    }

    /**
     * Connects and creates the bucket when missing; checks its ttl when present.
     *
     * @throws IOException when NATS cannot be reached (the message says where and what to do)
     * @throws TickmuxConfigException when the bucket's ttl differs from the settings
     */
    public void open() throws IOException, InterruptedException {
        Options.Builder ob =
                new Options.Builder()
                        .servers(settings.urls().toArray(new String[0]))
                        .connectionName("tickmux-ha-" + settings.gatewayId())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxReconnects(-1)
                        .reconnectWait(Duration.ofMillis(100))
                        .pingInterval(Duration.ofSeconds(1))
                        .reconnectBufferSize(0);
        if (!settings.token().isEmpty()) {
            ob.token(settings.token().toCharArray());
        }
        try {
            connection = Nats.connect(ob.build());
        } catch (IOException e) {
            throw new IOException(
                    "gateway ha: cannot reach NATS at "
                            + settings.urls()
                            + " ("
                            + e.getMessage()
                            + "): start a nats-server with JetStream (-js) there, or set "
                            + HaSettings.PATH
                            + ".url",
                    e);
        }
        try {
            KeyValueOptions kvo =
                    KeyValueOptions.builder().jsRequestTimeout(settings.requestTimeout()).build();
            KeyValueManagement kvm = connection.keyValueManagement(kvo);
            ensureBucket(kvm);
            kv = connection.keyValue(settings.bucket(), kvo);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            connection.close();
            if (e instanceof TickmuxConfigException t) {
                throw t;
            }
            throw new IOException(
                    "gateway ha: the lease bucket '"
                            + settings.bucket()
                            + "' could not be opened at "
                            + settings.urls()
                            + " ("
                            + e.getMessage()
                            + "): is JetStream enabled (-js)?",
                    e);
        }
    }

    private void ensureBucket(KeyValueManagement kvm) throws IOException, JetStreamApiException {
        KeyValueStatus status;
        try {
            status = kvm.getStatus(settings.bucket());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != BUCKET_NOT_FOUND) {
                throw e;
            }
            try {
                kvm.create(
                        KeyValueConfiguration.builder()
                                .name(settings.bucket())
                                .ttl(settings.ttl())
                                .maxHistoryPerKey(1)
                                .storageType(
                                        settings.fileStorage()
                                                ? StorageType.File
                                                : StorageType.Memory)
                                .replicas(settings.replicas())
                                .build());
                return;
            } catch (JetStreamApiException raced) {
                status = kvm.getStatus(settings.bucket()); // another gateway made it first
            }
        }
        if (!settings.ttl().equals(status.getTtl())) {
            throw new TickmuxConfigException(
                    List.of(
                            HaSettings.PATH
                                    + ".ttl is "
                                    + settings.ttl()
                                    + " but bucket '"
                                    + settings.bucket()
                                    + "' has max-age "
                                    + status.getTtl()
                                    + ": every gateway of a pair must use the bucket's ttl (set"
                                    + " it), or delete the bucket (nats kv del "
                                    + settings.bucket()
                                    + ") while no gateway runs"));
        }
    }

    /**
     * @return the current value, or {@code null} when the key holds none (never written, expired,
     *     released)
     * @throws IOException when NATS does not answer in time
     */
    public Seen read() throws IOException, JetStreamApiException {
        KeyValueEntry e = kv.get(settings.key());
        if (e == null || e.getOperation() != KeyValueOperation.PUT) {
            return null;
        }
        return new Seen(LeaseRecord.decode(e.getValue()), e.getRevision());
    }

    /**
     * Takes the lease if the key holds no value.
     *
     * @param value the value
     * @return the revision: the epoch
     * @throws Taken when another gateway holds it
     * @throws IOException when NATS does not answer in time (the outcome is unknown)
     */
    public long create(LeaseRecord value) throws Taken, IOException, JetStreamApiException {
        try {
            return kv.create(settings.key(), value.encode());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new Taken("the lease is held");
            }
            throw e;
        }
    }

    /**
     * Renews: writes the value if the key still holds {@code revision}.
     *
     * @param value the value
     * @param revision the revision last written by this holder
     * @return the new revision
     * @throws Taken when the key holds another revision or none (the lease expired)
     * @throws IOException when NATS does not answer in time (the outcome is unknown)
     */
    public long update(LeaseRecord value, long revision)
            throws Taken, IOException, JetStreamApiException {
        try {
            return kv.update(settings.key(), value.encode(), revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new Taken(
                        "compare-and-set on revision "
                                + revision
                                + " failed: the lease expired or another gateway holds it");
            }
            throw e;
        }
    }

    /**
     * Gives the lease up at once (a clean stop), if the key still holds {@code revision}; a standby
     * can then acquire without waiting for the ttl.
     *
     * @param revision the revision last written by this holder
     */
    public void release(long revision) throws IOException, JetStreamApiException {
        try {
            kv.delete(settings.key(), revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                throw e;
            }
        }
    }

    /**
     * @return whether the client is connected to NATS now
     */
    public boolean connected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
    }
}
