package io.tickmux.transport.massive.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.typesafe.config.Config;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.OpenConnections;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.MassiveSettings;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One host's Massive transport: makes its connections, each with the global settings or its own
 * layered over them, all timed on the host's scheduler; closing it closes those still open, which
 * cancels their timers. It starts no thread of its own (each socket has its read thread, and its
 * parse thread with {@code parsing = stage}, which end with the socket). Thread-safe.
 */
public final class MassiveTransport implements Transport {

    private final Config root;
    private final MassiveSettings defaults;
    private final ScheduledExecutorService timer;
    private final JsonFactory json;
    private final OpenConnections open = new OpenConnections("Massive");

    /**
     * @param root the whole configuration, for per-connection settings
     * @param defaults the global settings, read from {@code root}
     * @param timer the host's scheduler: pings, read deadlines, auth and ack timeouts
     * @param json the Jackson factory every connection parses with
     */
    public MassiveTransport(
            Config root,
            MassiveSettings defaults,
            ScheduledExecutorService timer,
            JsonFactory json) {
        this.root = requireNonNull(root, "root is null");
        this.defaults = requireNonNull(defaults, "defaults is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when no API key is configured for the connection, or its URL is
     *     cleartext to a host other than loopback without {@code allow-cleartext}
     */
    @Override
    public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
        open.checkOpen(spec.id());
        MassiveSettings s =
                spec.settings().isEmpty()
                        ? defaults
                        : MassiveSettings.forConnection(root, spec.settings(), spec.id());
        if (s.apiKey().isEmpty()) {
            throw new IllegalStateException(
                    "connection "
                            + spec.id()
                            + " has no Massive API key: set MASSIVE_API_KEY, or"
                            + " tickmux.transport.massive.api-key, or the connection's api-key");
        }
        return open.track(new MassiveConnection(spec, s, listener, timer, json));
    }

    @Override
    public void close() {
        open.closeAll();
    }
}
